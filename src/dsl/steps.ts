import { parseDuration, type DurationInput } from './duration';
import type {
  BranchStep, Condition, EmailStep, EventFilter, ExitStep, FallbackContent, LatePolicy, ParseMode, SmsStep, SplitStep, Step,
  TaskStep, TelegramButtonSpec, TelegramStep, Utm, VkStep, WaitForStep, WaitStep, WaitUntilStep, WebinarInviteStep,
} from './plan';
import type { LoggedTouchKind } from '../db/schema';

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

/** Options every touch takes: fallbacks tried in order, a holdout share, UTM tags (or false to turn the funnel's off). */
export interface TouchOptions {
  fallback?: FallbackContent[];
  holdout?: number;
  utm?: Utm | false;
}

/** Copies the defined keys only, so plans hash the same whether an option was omitted or undefined. */
function defined<T extends object>(base: T, extra: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}

type EmailContent = { subject: string; html?: string; text?: string; preheader?: string };
type TelegramContent = { text: string; parseMode?: ParseMode; photo?: string; document?: string; buttons?: TelegramButtonSpec[] | TelegramButtonSpec[][] };

/** One row per button when given a flat list; rows as given otherwise. */
function rows(buttons: TelegramButtonSpec[] | TelegramButtonSpec[][] | undefined): TelegramButtonSpec[][] | undefined {
  if (buttons === undefined) return undefined;
  return buttons.map((b) => (Array.isArray(b) ? b : [b]));
}

/** An email touch; subject, html, text and preheader are Liquid templates. */
export function email(id: string, content: EmailContent & TouchOptions): EmailStep {
  const { subject, ...rest } = content;
  return defined<EmailStep>({ type: 'email', id, subject }, rest);
}

/** An SMS touch; the text is a Liquid template (plain text, Cyrillic counts 70 characters per part). */
export function sms(id: string, content: { text: string } & TouchOptions): SmsStep {
  const { text, ...rest } = content;
  return defined<SmsStep>({ type: 'sms', id, text }, rest);
}

/** A Telegram touch: text (variables escaped for the parse mode, default HTML), photo or document, inline buttons. */
export function telegram(id: string, content: TelegramContent & TouchOptions): TelegramStep {
  const { text, buttons, ...rest } = content;
  return defined<TelegramStep>({ type: 'telegram', id, text }, { ...rest, buttons: rows(buttons) });
}

type VkContent = { text: string; buttons?: TelegramButtonSpec[] | TelegramButtonSpec[][]; attachments?: string[] };

/** A VK community message: plain text (a Liquid template), keyboard buttons (pressed: `<id>.clicked`), attachments (VK media ids or URLs). */
export function vk(id: string, content: VkContent & TouchOptions): VkStep {
  const { text, buttons, ...rest } = content;
  return defined<VkStep>({ type: 'vk', id, text }, { ...rest, buttons: rows(buttons) });
}

/** A webinar invite by email (with an .ics file) or Telegram; assigns the contact's session of that webinar. */
export function webinarInvite(id: string, content: { webinar: string; via: 'email' | 'telegram'; subject?: string; html?: string; text: string; buttons?: TelegramButtonSpec[] | TelegramButtonSpec[][] } & TouchOptions): WebinarInviteStep {
  const { webinar, via, text, buttons, ...rest } = content;
  return defined<WebinarInviteStep>({ type: 'webinarInvite', id, webinar, via, text }, { ...rest, buttons: rows(buttons) });
}

/** Fallback content for a touch: the same message as an email. */
export const asEmail = (content: EmailContent): FallbackContent => defined({ channel: 'email' as const, subject: content.subject }, { html: content.html, text: content.text, preheader: content.preheader });
/** Fallback content for a touch: the same message as an SMS. */
export const asSms = (text: string): FallbackContent => ({ channel: 'sms', text });
/** Fallback content for a touch: the same message in Telegram. */
export const asTelegram = (content: TelegramContent): FallbackContent => {
  const { text, buttons, ...rest } = content;
  return defined({ channel: 'telegram' as const, text }, { ...rest, buttons: rows(buttons) });
};

/** Fallback content for a touch: the same message as a VK community message. */
export const asVk = (content: VkContent | string): FallbackContent => {
  const { text, buttons, ...rest } = typeof content === 'string' ? { text: content } as VkContent : content;
  return defined({ channel: 'vk' as const, text }, { ...rest, buttons: rows(buttons) });
};

/** A fixed pause: `wait('pause', '2d')`. */
export function wait(id: string, duration: DurationInput): WaitStep {
  return { type: 'wait', id, ms: toMs(duration) };
}

/**
 * Waits until the next local time of day and/or weekday in the contact's zone: `waitUntil('morning', { time: '10:00' })`;
 * or until the contact's webinar session plus an offset, following moves: `waitUntil('hour-before', { webinar: 'main', offset: '-1h' })`;
 * or until a date the contact or an event carries: `waitUntil('day-before', { date: 'contact.attributes.appointmentAt', offset: '-1d', time: '10:00' })`.
 * A contact who reaches a webinar or date wait after its moment (a late sign-up) does not get the touches after it: they are
 * skipped `too_late`; `late: 'send'` sends them at once instead, unless a later wait on the same webinar has passed too.
 * A date wait with `else` goes down `else` instead of the rest of its list when the date is missing, unreadable or past.
 */
export function waitUntil(id: string, at: {
  time?: string; weekdays?: Weekday[]; webinar?: string; date?: string; offset?: DurationInput | `-${string}`; late?: LatePolicy; else?: Step[];
}): WaitUntilStep {
  const step: WaitUntilStep = { type: 'waitUntil', id };
  if (at.time !== undefined) step.time = at.time;
  if (at.weekdays !== undefined) step.weekdays = at.weekdays.map(weekdayNumber);
  if (at.webinar !== undefined) step.webinar = at.webinar;
  if (at.date !== undefined) step.date = at.date;
  if (at.offset !== undefined) step.offsetMs = signedMs(at.offset);
  if (at.late !== undefined) step.late = at.late;
  if (at.else !== undefined) step.else = at.else;
  return step;
}

/** A signed duration: '-1h' is an hour before, '+2h' or '2h' two hours after, '0' the moment itself. */
function signedMs(input: DurationInput | string): number {
  if (typeof input === 'string') {
    const t = input.trim();
    if (t === '0') return 0;
    if (t.startsWith('-')) return -toMs(t.slice(1) as DurationInput);
    if (t.startsWith('+')) return toMs(t.slice(1) as DurationInput);
  }
  return toMs(input as DurationInput);
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

/**
 * Asks the staff for a touch: hands the task ("call within 2 hours") to the configured hand-off, then waits for a
 * logged touch of `kind` (default `call`) until `timeout`; `then` runs when it was logged, `else` when time ran out.
 */
export function task(id: string, options: {
  title: string;
  kind?: LoggedTouchKind;
  assignee?: string;
  timeout: DurationInput;
  then?: Step[];
  else?: Step[];
}): TaskStep {
  return {
    type: 'task', id, kind: options.kind ?? 'call', title: options.title, ...(options.assignee !== undefined && { assignee: options.assignee }),
    timeoutMs: toMs(options.timeout), then: options.then ?? [], else: options.else ?? [],
  };
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
