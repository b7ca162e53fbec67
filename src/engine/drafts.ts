import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';

/**
 * Whether traffic — an entry event or a lead form — may enroll this contact into this funnel: always for a launched
 * funnel; for a draft only a test contact (`test: true`). Explicit API enrollments do not ask.
 */
export async function admitsTraffic(db: Db, plan: Pick<Plan, 'draft'>, contactId: string): Promise<boolean> {
  if (plan.draft !== true) return true;
  const row = await db.selectFrom('contacts').select('test').where('id', '=', contactId).executeTakeFirst();
  return row?.test === 1;
}
