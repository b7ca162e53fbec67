import { sql } from 'kysely';
import type { Db } from '../../../db/database';
import { childLists, isTouch, walkSteps, type Plan, type Step } from '../../../dsl/plan';
import type { Period } from './funnel-data';

/**
 * How many enrollments passed each edge of the plan drawing. The cohort is the funnel's enrollments enrolled in the
 * period. Counts come from the ledger, which has a row for every touch an enrollment reached (sent, skipped, deferred,
 * held out alike), but nothing for waits, branches or exits. So:
 * - the edge into a step counts enrollments with a ledger row for any touch at or after that step in the same list
 *   (nested lists included) — for a touch step that is exactly the enrollments that reached it; for other steps it is
 *   a lower bound (someone still waiting there with no later touch is not visible);
 * - a waitFor or branch arm counts enrollments with a ledger row for any touch in the arm;
 * - a split variant counts the enrollments assigned to it (`split_assignments`), which is exact;
 * - undefined means the ledger cannot tell (no touch at or after the step), and the drawing shows no number.
 */
export interface FlowCounts {
  /** Enrollments in the cohort (the edge out of the entry). */
  enrolled: number;
  /** Edge into a step, by step id. */
  steps: Map<string, number | undefined>;
  /** Edge into an arm, by its childLists key (`<stepId>.then`, `<splitId>.<variantId>`). */
  arms: Map<string, number | undefined>;
}

/** Counts every edge of a plan's drawing for the cohort enrolled in `period` (see FlowCounts for what is counted). */
export async function planFlowCounts(db: Db, plan: Plan, period: Period): Promise<FlowCounts> {
  const from = period.from ?? 0;
  const to = period.to ?? Number.MAX_SAFE_INTEGER;
  const cohort = db.selectFrom('enrollments').select('id')
    .where('funnel_id', '=', plan.id).where('enrolled_at', '>=', from).where('enrolled_at', '<', to);
  const enrolled = Number((await db.selectFrom('enrollments').select(sql<number>`count(*)`.as('n'))
    .where('funnel_id', '=', plan.id).where('enrolled_at', '>=', from).where('enrolled_at', '<', to)
    .executeTakeFirstOrThrow()).n);

  const cache = new Map<string, Promise<number | undefined>>();
  const reachOf = (steps: Step[]): Promise<number | undefined> => {
    const touches = [...walkSteps(steps)].filter(isTouch).map((s) => s.id);
    if (touches.length === 0) return Promise.resolve(undefined);
    const key = touches.join('\u0000');
    let hit = cache.get(key);
    if (!hit) {
      hit = db.selectFrom('deliveries').select(sql<number>`count(distinct enrollment_id)`.as('n'))
        .where('funnel_id', '=', plan.id).where('touch_id', 'in', touches).where('enrollment_id', 'in', cohort)
        .executeTakeFirstOrThrow().then((r) => Number(r.n));
      cache.set(key, hit);
    }
    return hit;
  };

  const assigned = await db.selectFrom('split_assignments').select(['split_id', 'variant_id', sql<number>`count(*)`.as('n')])
    .where('funnel_id', '=', plan.id).where('enrollment_id', 'in', cohort)
    .groupBy(['split_id', 'variant_id']).execute();
  const byVariant = new Map(assigned.map((r) => [`${r.split_id}.${r.variant_id}`, Number(r.n)]));

  const steps = new Map<string, number | undefined>();
  const arms = new Map<string, number | undefined>();
  const visit = async (list: Step[]): Promise<void> => {
    for (let i = 0; i < list.length; i++) {
      const step = list[i] as Step;
      steps.set(step.id, await reachOf(list.slice(i)));
      for (const child of childLists(step)) {
        arms.set(child.key, step.type === 'split' ? (byVariant.get(child.key) ?? 0) : await reachOf(child.steps));
        await visit(child.steps);
      }
    }
  };
  await visit(plan.steps);
  return { enrolled, steps, arms };
}
