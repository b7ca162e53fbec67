/*
 * The one list of what a touch reports as events named `<touchId>.<suffix>` (a stable identifier of the contract).
 * It lives in workflows/ because the interpreter needs it too; src/ imports it from here.
 */

/** Every suffix of a touch's events: message touches report all but `viewed`; a page reports `viewed`. */
export const TOUCH_EVENT_SUFFIXES = ['sent', 'delivered', 'opened', 'clicked', 'replied', 'failed', 'unsubscribed', 'viewed'] as const;
/** One suffix of a touch's events. */
export type TouchEventSuffix = (typeof TOUCH_EVENT_SUFFIXES)[number];

/** The suffixes a message touch (email, SMS, Telegram, invite) can report. */
export const MESSAGE_TOUCH_EVENT_SUFFIXES = TOUCH_EVENT_SUFFIXES.filter((s): s is Exclude<TouchEventSuffix, 'viewed'> => s !== 'viewed');
/** The suffix a page reports on its first visit. */
export const PAGE_TOUCH_EVENT_SUFFIX = 'viewed' satisfies TouchEventSuffix;

/** What a `touch` condition can ask about a touch (`sent` is implied by reaching the step; unsubscribing ends consent). */
export const TOUCH_CONDITION_STATUSES = ['delivered', 'opened', 'clicked', 'replied', 'failed', 'viewed'] as const satisfies readonly TouchEventSuffix[];

const SUFFIXES: ReadonlySet<string> = new Set(TOUCH_EVENT_SUFFIXES);

/** The touch and suffix of an event name like `lesson-1.clicked`; null for any other event (`order.paid`). */
export function parseTouchEvent(name: string): { touchId: string; suffix: TouchEventSuffix } | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const suffix = name.slice(dot + 1);
  return SUFFIXES.has(suffix) ? { touchId: name.slice(0, dot), suffix: suffix as TouchEventSuffix } : null;
}
