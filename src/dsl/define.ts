import type { DurationInput } from './duration';
import type { Form, Page, Step, Utm } from './plan';
import { toMs } from './steps';

/** What a marketer writes in `funnels/<name>.ts`. */
export type FunnelInput = {
  /** Stable id: lowercase letters, digits and "-". */
  id: string;
  name: string;
  /** Event that enrolls a contact; null or omitted = enrolled only through the API. */
  entry?: string | null;
  /** Zone for waitUntil when the contact has none (default 'Europe/Moscow'). */
  timezone?: string;
  /** The conversion: its event, the window after enrollment, whether it ends the funnel (default yes), its revenue when the event carries none. */
  goal: { event: string; within: DurationInput; exit?: boolean; value?: number };
  /** Contact attributes the templates and conditions may use. */
  attributes?: string[];
  /** Extra event names (besides entry, goal and touch events) the funnel waits for. */
  events?: string[];
  steps: Step[];
  /**
   * Funnel-level event subscriptions: `on: { 'order.refunded': [webhook(…), exit('refunded')] }` — when the event
   * reaches the enrollment, at any point, these steps (webhook, notify, setAttribute/tag, exit) run there and then.
   */
  on?: Record<string, Step[]>;
  /** Webinars the funnel invites to: a fixed `startsAt`, or an auto-webinar `schedule` in the contact's zone. */
  webinars?: Array<{
    id: string; title: string; startsAt?: string; schedule?: { times: string[]; weekdays?: number[] };
    minLead?: DurationInput; duration?: DurationInput; joinUrl: string; replayUrl?: string;
  }>;
  /** Pages served at /p/<funnel>/<page> (thank-you, offer); a visit is `<pageId>.viewed`. */
  pages?: Page[];
  /** The lead form at /f/<funnel>. */
  form?: { title: string; fields: Array<{ name: string; label: string; required?: boolean }>; consents?: Array<{ channel: 'email' | 'sms' | 'telegram'; label: string; required?: boolean }>; thankYouPage: string };
  /** Local send window (touches due outside wait for its opening) and priority under the frequency cap. */
  policy?: { sendWindow?: { from: string; to: string }; priority?: number };
  /** Attribution: window before a goal in which touches earn credit (default: the goal window), time-decay half-life (default 7d). */
  attribution?: { window?: DurationInput; halfLife?: DurationInput };
  /** UTM tags added to every tracked link of the funnel's emails. */
  utm?: Utm;
  /**
   * Whether a contact may enter again: 'never'; after a pause since its last enrollment ended ('30d'); or once per
   * value of an entry-event property (`{ key: 'orderId' }`: one enrollment per order, running side by side).
   * Omitted: one active enrollment at a time (a contact whose enrollment ended may enter again).
   */
  reentry?: 'never' | DurationInput | { key: string };
  /**
   * A draft is checked, drawn and simulated, but enrolls only test contacts (`test: true`) and explicit API
   * enrollments — never real traffic from its entry event or form. Remove it (or set false) to launch.
   */
  draft?: boolean;
};

/** The default export of a funnel file: the plan-shaped data, not yet validated. */
export type FunnelDefinition = { readonly kind: 'autofunnel.funnel'; readonly raw: unknown };

/** The zone a funnel uses when it names none. */
export const DEFAULT_TIMEZONE = 'Europe/Moscow';

/**
 * Declares a funnel. Never throws: a broken file still loads, and `validateFunnel` (npm run check)
 * lists every problem at once.
 */
export function defineFunnel(input: FunnelInput): FunnelDefinition {
  if (typeof input !== 'object' || input === null) return { kind: 'autofunnel.funnel', raw: input };
  const goal = input.goal as Partial<FunnelInput['goal']> | undefined;
  const raw = {
    id: input.id,
    name: input.name,
    entry: input.entry ?? null,
    timezone: input.timezone ?? DEFAULT_TIMEZONE,
    goal: typeof goal === 'object' && goal !== null
      ? { event: goal.event, withinMs: goal.within === undefined ? undefined : toMs(goal.within), exit: goal.exit ?? true }
      : goal,
    attributes: input.attributes ?? [],
    events: input.events ?? [],
    steps: input.steps,
    ...(input.webinars !== undefined && {
      webinars: Array.isArray(input.webinars) ? input.webinars.map((w) => {
        const { minLead, duration, ...rest } = w;
        return { ...rest, ...(minLead !== undefined && { minLeadMs: toMs(minLead) }), ...(duration !== undefined && { durationMs: toMs(duration) }) };
      }) : input.webinars,
    }),
    ...(input.pages !== undefined && { pages: input.pages }),
    ...(input.on !== undefined && { on: input.on }),
    ...(input.form !== undefined && { form: input.form as Form }),
    ...(input.policy !== undefined && { policy: input.policy }),
    ...(input.attribution !== undefined && {
      attribution: {
        ...(input.attribution.window !== undefined && { windowMs: toMs(input.attribution.window) }),
        ...(input.attribution.halfLife !== undefined && { halfLifeMs: toMs(input.attribution.halfLife) }),
      },
    }),
    ...(input.utm !== undefined && { utm: input.utm }),
    ...(input.reentry !== undefined && {
      reentry: input.reentry === 'never' || (typeof input.reentry === 'object' && input.reentry !== null) ? input.reentry : { afterMs: toMs(input.reentry) },
    }),
    // Only a draft carries the flag, so launching (removing it) gives the plan it would have had without it.
    ...(input.draft !== undefined && input.draft !== false && { draft: input.draft }),
  };
  if (typeof goal === 'object' && goal !== null && goal.value !== undefined) (raw.goal as Record<string, unknown>).value = goal.value;
  return { kind: 'autofunnel.funnel', raw };
}

/** True for the value `defineFunnel` returns (also across module copies, so it checks the tag, not the class). */
export function isFunnelDefinition(x: unknown): x is FunnelDefinition {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'autofunnel.funnel' && 'raw' in x;
}
