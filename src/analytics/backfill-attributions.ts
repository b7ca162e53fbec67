import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import { ATTRIBUTION_MODELS, attributionSettings } from './attribution-models';
import { attributeConversion } from './record-conversion';

/**
 * Gives every conversion the credit of all five models: conversions recorded while only `last_touch` was stored get
 * theirs recomputed from the ledger with the settings of the plan version their enrollment is pinned to (conversions
 * without credit are looked at again too, since a plan's attribution window may now reach touches the goal window did
 * not). Conversions whose plan version is not stored keep what they have. Returns how many conversions were examined.
 */
export async function backfillAttributions(db: Kysely<any>): Promise<number> {
  const rows = await sql<{ id: string; enrollment_id: string; funnel_id: string; value: number; occurred_at: number; plan: string }>`
    SELECT c.id, c.enrollment_id, c.funnel_id, c.value, c.occurred_at, v.plan
    FROM conversions c JOIN enrollments e ON e.id = c.enrollment_id
    JOIN funnel_versions v ON v.funnel_id = e.funnel_id AND v.version = e.version
    WHERE (SELECT count(DISTINCT a.model) FROM attributions a WHERE a.conversion_id = c.id) < ${ATTRIBUTION_MODELS.length}`.execute(db);
  for (const row of rows.rows) {
    const plan = JSON.parse(row.plan) as Pick<Plan, 'goal' | 'attribution'>;
    await db.deleteFrom('attributions').where('conversion_id', '=', row.id).execute();
    await attributeConversion(db as unknown as Db, { ...row, value: Number(row.value), occurred_at: Number(row.occurred_at) },
      attributionSettings(plan.goal, plan.attribution));
  }
  return rows.rows.length;
}
