import { z } from 'zod';

/** A scalar a condition or event filter can compare with. */
export const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

const StepId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'step ids are letters, digits, "-" and "_"');
/** An event name as funnels and the API write it: `order.paid`, `lesson-1.clicked`. */
export const EventName = z.string().regex(/^[a-z0-9_][a-z0-9_.:-]*$/i, 'event names are letters, digits, ".", "_", ":" and "-"');
const Ms = z.number().int().positive();

/** Properties an event must carry (equality) to match. */
export const EventFilter = z.object({ name: EventName, where: z.record(z.string(), Scalar).optional() });
export type EventFilter = z.infer<typeof EventFilter>;

/** How an attribute condition compares the contact's value with the given one. */
export const CompareOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists', 'in']);
export type CompareOp = z.infer<typeof CompareOp>;

/** What happened to a touch, as a condition can ask about it. */
export const TouchStatus = z.enum(['delivered', 'opened', 'clicked', 'replied', 'failed']);
export type TouchStatus = z.infer<typeof TouchStatus>;

/** A condition is data, so it can be checked, drawn and evaluated deterministically in the workflow. */
export type Condition =
  | { kind: 'attribute'; key: string; op: CompareOp; value?: Scalar | Scalar[] }
  | { kind: 'event'; name: string; where?: Record<string, Scalar> }
  | { kind: 'touch'; touchId: string; status: TouchStatus }
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition };
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('attribute'), key: z.string().min(1), op: CompareOp, value: z.union([Scalar, z.array(Scalar)]).optional() }),
    z.object({ kind: z.literal('event'), name: EventName, where: z.record(z.string(), Scalar).optional() }),
    z.object({ kind: z.literal('touch'), touchId: StepId, status: TouchStatus }),
    z.object({ kind: z.literal('all'), conditions: z.array(Condition).min(1) }),
    z.object({ kind: z.literal('any'), conditions: z.array(Condition).min(1) }),
    z.object({ kind: z.literal('not'), condition: Condition }),
  ]),
);

/** An email touch: Liquid templates for subject, HTML and text bodies. */
export const EmailStep = z.object({
  type: z.literal('email'),
  id: StepId,
  subject: z.string().min(1),
  html: z.string().optional(),
  text: z.string().optional(),
  preheader: z.string().optional(),
}).refine((s) => s.html !== undefined || s.text !== undefined, { message: 'an email needs html or text' });
export type EmailStep = z.infer<typeof EmailStep>;

/** A fixed pause. */
export const WaitStep = z.object({ type: z.literal('wait'), id: StepId, ms: Ms });
export type WaitStep = z.infer<typeof WaitStep>;

/** Waits until the next local time of day (HH:MM) and/or weekday (1 = Monday … 7 = Sunday) in the contact's zone. */
export const WaitUntilStep = z.object({
  type: z.literal('waitUntil'),
  id: StepId,
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time is HH:MM, 24-hour').optional(),
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
}).refine((s) => s.time !== undefined || s.weekdays !== undefined, { message: 'waitUntil needs a time or weekdays' });
export type WaitUntilStep = z.infer<typeof WaitUntilStep>;

/** Waits for one of the events (buffered ones count) until the timeout, then runs `then` on a match or `else` on timeout. */
export type WaitForStep = { type: 'waitFor'; id: string; events: EventFilter[]; timeoutMs: number; then: Step[]; else: Step[] };
/** Runs `then` when the condition holds at that moment, `else` otherwise. */
export type BranchStep = { type: 'branch'; id: string; if: Condition; then: Step[]; else: Step[] };
/** One arm of a split, chosen with probability weight / total weight. */
export type SplitVariant = { id: string; weight: number; steps: Step[] };
/** Sends each enrollment down exactly one weighted variant (A/B tests, holdouts). */
export type SplitStep = { type: 'split'; id: string; variants: SplitVariant[] };
/** Ends the enrollment. */
export type ExitStep = { type: 'exit'; id: string; reason?: string | undefined };
/** Every step a plan can hold. */
export type Step = EmailStep | WaitStep | WaitUntilStep | WaitForStep | BranchStep | SplitStep | ExitStep;

/** Ends the enrollment, with an optional reason shown on the contact's timeline. */
export const ExitStep = z.object({ type: z.literal('exit'), id: StepId, reason: z.string().optional() });

/** Validates any step; a discriminated union on `type`, so a broken step's issues point at its exact path. */
export const Step: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion('type', [
    EmailStep,
    WaitStep,
    WaitUntilStep,
    z.object({
      type: z.literal('waitFor'),
      id: StepId,
      events: z.array(EventFilter).min(1, 'waitFor needs at least one event'),
      timeoutMs: Ms,
      then: z.array(Step),
      else: z.array(Step),
    }),
    z.object({ type: z.literal('branch'), id: StepId, if: Condition, then: z.array(Step), else: z.array(Step) }),
    z.object({
      type: z.literal('split'),
      id: StepId,
      variants: z.array(z.object({ id: StepId, weight: z.number().positive(), steps: z.array(Step) })).min(2, 'a split needs at least two variants'),
    }),
    ExitStep,
  ]),
);

/** The conversion goal: an event, the window after enrollment in which it counts, whether it ends the funnel. */
export const Goal = z.object({ event: EventName, withinMs: Ms, exit: z.boolean() });
export type Goal = z.infer<typeof Goal>;

/** A funnel's plan: plain data, safe to store, hash and pin into a workflow. */
export const Plan = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'funnel ids are lowercase letters, digits and "-"'),
  name: z.string().min(1),
  entry: EventName.nullable(),
  timezone: z.string().min(1),
  goal: Goal,
  attributes: z.array(z.string().min(1)).default([]),
  events: z.array(EventName).default([]),
  steps: z.array(Step).min(1, 'a funnel needs at least one step'),
});
export type Plan = z.infer<typeof Plan>;

/** Channels a touch can go out on. */
export type Channel = 'email';

/** The touch steps of a plan, in document order. */
export function touchesOf(steps: Step[]): EmailStep[] {
  const out: EmailStep[] = [];
  for (const step of walkSteps(steps)) if (step.type === 'email') out.push(step);
  return out;
}

/** Every step of a plan, depth first, in document order. */
export function* walkSteps(steps: Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    for (const list of childLists(step)) yield* walkSteps(list.steps);
  }
}

/** The nested step lists of a step, each with a stable key (`<stepId>.then`, `<splitId>.<variantId>`). */
export function childLists(step: Step): { key: string; steps: Step[] }[] {
  switch (step.type) {
    case 'waitFor':
    case 'branch':
      return [{ key: `${step.id}.then`, steps: step.then }, { key: `${step.id}.else`, steps: step.else }];
    case 'split':
      return step.variants.map((v) => ({ key: `${step.id}.${v.id}`, steps: v.steps }));
    default:
      return [];
  }
}
