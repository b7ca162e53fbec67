import type { Db } from '../db/database';
import type { FunnelRegistry } from '../engine/registry';
import { attributionSettings } from './attribution-models';
import { attributeConversion } from './record-conversion';

/**
 * Recomputes the credit of the enrollments' conversions at or after `since` under all five models, from the ledger
 * as it is now, with the settings of the plan version each enrollment is pinned to: a touch logged after the fact (the
 * manager's call entered the next morning) gets the credit it would have had. Answers how many conversions were redone.
 */
export async function reattributeSince(db: Db, funnels: FunnelRegistry, enrollmentIds: readonly string[], since: number): Promise<number> {
  if (enrollmentIds.length === 0) return 0;
  const rows = await db.selectFrom('conversions').innerJoin('enrollments', 'enrollments.id', 'conversions.enrollment_id')
    .select(['conversions.id', 'conversions.enrollment_id', 'conversions.funnel_id', 'conversions.value', 'conversions.occurred_at', 'enrollments.version'])
    .where('conversions.enrollment_id', 'in', [...enrollmentIds]).where('conversions.occurred_at', '>=', since).execute();
  for (const c of rows) {
    const plan = await funnels.planAt(db, c.funnel_id, c.version).catch(() => undefined);
    if (!plan) continue; // a version that is not stored keeps the credit it has
    await db.deleteFrom('attributions').where('conversion_id', '=', c.id).execute();
    await attributeConversion(db, { ...c, value: Number(c.value), occurred_at: Number(c.occurred_at) }, attributionSettings(plan.goal, plan.attribution));
  }
  return rows.length;
}
