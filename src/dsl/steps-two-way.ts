import type { DurationInput } from './duration';
import type { AskOption, AskStep, Condition, NotifyStep, ParseMode, Scalar, SetAttributeStep, Step, Utm, WebhookStep } from './plan';
import { toMs } from './steps';

/** What `ask()` takes: the question, how it can be answered, where each answer leads, the mandatory timeout. */
export interface AskInput {
  /** Telegram (default): inline buttons or free text. Email: one tracked link per answer, landing on `answerUrl`. */
  via?: 'telegram' | 'email';
  text: string;
  subject?: string;
  parseMode?: ParseMode;
  answerUrl?: string;
  /** Buttons: `{ id, text, score?, steps? }`; an option with `steps` runs them when chosen. */
  options?: AskOption[];
  /** Numbers as buttons: `{ from: 0, to: 10 }` for NPS, `{ from: 1, to: 5 }` for a rating; a typed number counts too. */
  scale?: { from: number; to: number };
  /** Accept any text reply (match it with `when.replyMatches`). */
  freeText?: boolean;
  /** The contact attribute the answer is saved to (declare it in `attributes`). */
  saveAs?: string;
  /** Whether option scores add to `quiz.score` (default true). */
  quiz?: boolean;
  /** For a "why?" after an NPS question: the id of the ask this free-text answer comments. */
  commentOf?: string;
  timeout: DurationInput;
  if?: Condition;
  then?: Step[];
  else?: Step[];
  /** Steps when no answer came in time (or the question could not be sent). */
  onTimeout?: Step[];
  utm?: Utm | false;
}

/**
 * Asks the contact and waits for the answer (see AskStep): `ask('q1', { text: 'Сколько у вас клиентов?', options: [...],
 * timeout: '2d' })`. The answer is saved (`saveAs`), emitted as `q1.answered { value, score }`, and leads on.
 */
export function ask(id: string, input: AskInput): AskStep {
  const { timeout, then, else: otherwise, onTimeout, via, ...rest } = input;
  const step: AskStep = { type: 'ask', id, via: via ?? 'telegram', text: input.text, timeoutMs: toMs(timeout), then: then ?? [], else: otherwise ?? [], timeout: onTimeout ?? [] };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && k !== 'text') (step as Record<string, unknown>)[k] = v;
  return step;
}

/** An NPS question: an ask on the 0–10 scale ("how likely are you to recommend us?"). */
export function nps(id: string, input: Omit<AskInput, 'scale' | 'options'>): AskStep {
  return ask(id, { ...input, scale: { from: 0, to: 10 } });
}

/** Writes a declared contact attribute from the funnel (null removes it): `setAttribute('mark', 'segment', 'hot')`. */
export function setAttribute(id: string, key: string, value: Scalar | null): SetAttributeStep {
  return { type: 'setAttribute', id, key, value };
}

/** Tags the contact: sets the declared boolean attribute to true (`when.attributeEquals('vip', true)` reads it). */
export function tag(id: string, name: string): SetAttributeStep {
  return setAttribute(id, name, true);
}

/** Posts the signed hand-off payload to the URL (a CRM task): `webhook('crm', { url, event: 'lead.call_requested' })`. */
export function webhook(id: string, input: { url: string; event?: string; data?: Record<string, Scalar> }): WebhookStep {
  const step: WebhookStep = { type: 'webhook', id, url: input.url };
  if (input.event !== undefined) step.event = input.event;
  if (input.data !== undefined) step.data = input.data;
  return step;
}

/** Messages the team (TEAM_EMAIL / TEAM_TELEGRAM_CHAT_ID) with the contact's card link; subject and text are Liquid. */
export function notify(id: string, input: { subject: string; text: string }): NotifyStep {
  return { type: 'notify', id, subject: input.subject, text: input.text };
}
