import type { DurationInput } from './duration';
import type { Step } from './plan';
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
  goal: { event: string; within: DurationInput; exit?: boolean };
  /** Contact attributes the templates and conditions may use. */
  attributes?: string[];
  /** Extra event names (besides entry, goal and touch events) the funnel waits for. */
  events?: string[];
  steps: Step[];
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
  };
  return { kind: 'autofunnel.funnel', raw };
}

/** True for the value `defineFunnel` returns (also across module copies, so it checks the tag, not the class). */
export function isFunnelDefinition(x: unknown): x is FunnelDefinition {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'autofunnel.funnel' && 'raw' in x;
}
