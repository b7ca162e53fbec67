import { sql } from 'kysely';
import type { Db } from '../../../db/database';
import { childLists, isTouch, touchesOf, type Plan, type Step } from '../../../dsl/plan';
import type { FunnelStats } from '../../../analytics/funnel-stats';
import type { ExperimentsReport } from '../experiments-data';
import type { Period } from './funnel-data';

/**
 * How many enrollments the plan drawing shows on each edge, for the same period as the per-touch table. Every number
 * comes from figures the page already has (rollups) plus one bounded count of the deliveries still in flight:
 * - the edge into a touch: enrollments with a ledger row of that touch scheduled in the period — sent, outbox, failed,
 *   skipped and held out as the per-touch table counts them, plus those still pending or deferred (one row per
 *   enrollment and touch, so this is an exact distinct count);
 * - the edge into a split variant: enrollments assigned to it in the period (the split panel's figure), exact; when
 *   the experiments were not computed, counted like a branch arm below;
 * - the edge into any other step: the largest count of the touches at or after it in its list (nested arms included),
 *   where a waitFor, branch or split counts the sum of its arms (each enrollment takes exactly one arm); an arm of a
 *   waitFor or branch counts the same way from its own steps. These are lower bounds: someone waiting there with no
 *   later touch yet is not visible, and two later touches reached by different people count only the larger;
 * - undefined when nothing at or after the step is counted (no touch), and the drawing shows no number.
 * Over all time a touch's number is exactly how many passed its edge; over a period every number counts activity in
 * the period (touches scheduled, assignments made), like the rest of the page, not a cohort that enrolled in it.
 */
export interface FlowCounts {
  /** Enrollments that started in the period (the edge out of the entry). */
  enrolled: number;
  /** Edge into a step, by step id. */
  steps: Map<string, number | undefined>;
  /** Edge into an arm, by its childLists key (`<stepId>.then`, `<splitId>.<variantId>`). */
  arms: Map<string, number | undefined>;
}

/** What the edge counts are built from: per-touch reach and, when the experiments were computed, per-variant assignments. */
export interface FlowInputs {
  enrolled: number;
  /** Enrollments with a ledger row of the touch in the period, by touch id (a missing touch counts 0). */
  reached: Map<string, number>;
  /** Assignments by `<splitId>.<variantId>`; null when unknown (each arm then counts from its touches). */
  assigned: Map<string, number> | null;
}

const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/** Every edge count of the drawing from per-touch and per-variant figures (see FlowCounts for what each means). */
export function flowCounts(plan: Plan, inputs: FlowInputs): FlowCounts {
  const steps = new Map<string, number | undefined>();
  const arms = new Map<string, number | undefined>();
  /** Fills the edges of `list` and returns the largest count at or after its first step (undefined: nothing counted). */
  const visit = (list: Step[]): number | undefined => {
    let after: number | undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const step = list[i] as Step;
      const lists = childLists(step);
      let own: number | undefined;
      if (isTouch(step)) {
        own = inputs.reached.get(step.id) ?? 0;
      } else if (lists.length > 0) {
        const perArm = lists.map((l) => {
          const fromSteps = visit(l.steps);
          const n = step.type === 'split' && inputs.assigned ? (inputs.assigned.get(l.key) ?? 0) : fromSteps;
          arms.set(l.key, n);
          return n;
        });
        own = perArm.reduce<number | undefined>((sum, n) => (n === undefined ? sum : (sum ?? 0) + n), undefined);
      }
      const best = maxOf(own, after);
      steps.set(step.id, isTouch(step) ? own : best);
      after = best;
    }
    return after;
  };
  visit(plan.steps);
  return { enrolled: inputs.enrolled, steps, arms };
}

/**
 * Deliveries of the plan's touches still in flight (pending or deferred) and scheduled in the period, by touch. Bounded
 * by what is in flight: an index lookup per (touch, status) on `deliveries_funnel`, never a scan of the ledger
 * (the unary `+` keeps SQLite off the scheduled_at index, which would walk every row of the period).
 */
export async function inFlightCounts(db: Db, plan: Plan, period: Period): Promise<Map<string, number>> {
  const touches = touchesOf(plan.steps).map((t) => t.id);
  if (touches.length === 0) return new Map();
  const from = period.from ?? 0;
  const to = period.to ?? Number.MAX_SAFE_INTEGER;
  const rows = await sql<{ touch_id: string; n: number }>`SELECT touch_id, count(*) AS n FROM deliveries
    WHERE funnel_id = ${plan.id} AND touch_id IN (${sql.join(touches)}) AND status IN ('pending', 'deferred')
      AND +scheduled_at >= ${from} AND +scheduled_at < ${to}
    GROUP BY touch_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.touch_id, Number(r.n)]));
}

/** The drawing's edge counts for a period, from the page's stats and experiments of that period plus the in-flight count. */
export async function planFlowCounts(db: Db, plan: Plan, period: Period, stats: FunnelStats, report: ExperimentsReport | null): Promise<FlowCounts> {
  const inFlight = await inFlightCounts(db, plan, period);
  const reached = new Map(stats.touches.map((t) => [
    t.touchId, t.sent + t.outbox + t.failed + t.skipped + t.heldOut + (inFlight.get(t.touchId) ?? 0),
  ]));
  for (const [touchId, n] of inFlight) if (!reached.has(touchId)) reached.set(touchId, n);
  const assigned = report && new Map(report.splits.flatMap((s) => s.variants.map((v) => [`${s.splitId}.${v.variantId}`, v.enrolled] as const)));
  return flowCounts(plan, { enrolled: stats.enrolled, reached, assigned });
}
