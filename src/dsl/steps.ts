import { parseDuration, type DurationInput } from './duration';
import type {
  BranchStep, Condition, EmailStep, EventFilter, ExitStep, SplitStep, Step, WaitForStep, WaitStep, WaitUntilStep,
} from './plan';

const WEEKDAYS = {
  mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
  пн: 1, вт: 2, ср: 3, чт: 4, пт: 5, сб: 6, вс: 7,
} as const;

/** A weekday as a marketer writes it: 1 = Monday … 7 = Sunday, 'mon', 'monday' or 'пн'. */
export type Weekday = number | keyof typeof WEEKDAYS;

/**
 * Milliseconds for a duration; an unparseable input is kept as is (typed as a number) so the
 * funnel still loads and `check` can quote it back to the marketer.
 */
export function toMs(input: DurationInput): number {
  if (typeof input === 'string' || typeof input === 'number') return parseDuration(input) ?? (input as unknown as number);
  return input as unknown as number;
}

function weekdayNumber(day: Weekday): number {
  if (typeof day === 'string') return (WEEKDAYS as Record<string, number>)[day.trim().toLowerCase()] ?? (day as unknown as number);
  return day;
}

/** An email touch; subject, html, text and preheader are Liquid templates. */
export function email(id: string, content: { subject: string; html?: string; text?: string; preheader?: string }): EmailStep {
  const step: EmailStep = { type: 'email', id, subject: content.subject };
  if (content.html !== undefined) step.html = content.html;
  if (content.text !== undefined) step.text = content.text;
  if (content.preheader !== undefined) step.preheader = content.preheader;
  return step;
}

/** A fixed pause: `wait('pause', '2d')`. */
export function wait(id: string, duration: DurationInput): WaitStep {
  return { type: 'wait', id, ms: toMs(duration) };
}

/** Waits until the next local time of day and/or weekday in the contact's zone: `waitUntil('morning', { time: '10:00' })`. */
export function waitUntil(id: string, at: { time?: string; weekdays?: Weekday[] }): WaitUntilStep {
  const step: WaitUntilStep = { type: 'waitUntil', id };
  if (at.time !== undefined) step.time = at.time;
  if (at.weekdays !== undefined) step.weekdays = at.weekdays.map(weekdayNumber);
  return step;
}

/** Waits for an event (or any of several) with a mandatory timeout; `then` runs on the event, `else` on timeout. */
export function waitFor(id: string, options: {
  event: string | EventFilter | Array<string | EventFilter>;
  timeout: DurationInput;
  then?: Step[];
  else?: Step[];
}): WaitForStep {
  const list = Array.isArray(options.event) ? options.event : [options.event];
  const events = list.map((e): EventFilter => (typeof e === 'string' ? { name: e } : e));
  return { type: 'waitFor', id, events, timeoutMs: toMs(options.timeout), then: options.then ?? [], else: options.else ?? [] };
}

/** Runs `then` when the condition holds, `else` otherwise; either arm may be empty. */
export function branch(id: string, options: { if: Condition; then?: Step[]; else?: Step[] }): BranchStep {
  return { type: 'branch', id, if: options.if, then: options.then ?? [], else: options.else ?? [] };
}

/** Sends each enrollment down one variant, picked by weight (default 1). */
export function split(id: string, variants: Array<{ id: string; weight?: number; steps: Step[] }>): SplitStep {
  return { type: 'split', id, variants: variants.map((v) => ({ id: v.id, weight: v.weight ?? 1, steps: v.steps })) };
}

/** Ends the enrollment here. */
export function exit(id: string, reason?: string): ExitStep {
  return reason === undefined ? { type: 'exit', id } : { type: 'exit', id, reason };
}
