import type { Db } from './database';
import type { Plan } from '../dsl/plan';
import { NotFoundError } from '../errors';

/** A loaded, valid funnel and its content version. */
export interface VersionedPlan {
  plan: Plan;
  version: string;
}

/** Stores each plan version once and points the funnel at it; older versions stay for pinned enrollments. */
export async function storeFunnelVersions(db: Db, funnels: VersionedPlan[], now = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const { plan, version } of funnels) {
      await trx.insertInto('funnel_versions')
        .values({ funnel_id: plan.id, version, name: plan.name, plan: JSON.stringify(plan), created_at: now })
        .onConflict((oc) => oc.columns(['funnel_id', 'version']).doNothing()).execute();
      await trx.insertInto('funnels')
        .values({ id: plan.id, name: plan.name, current_version: version, entry_event: plan.entry, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: plan.name, current_version: version, entry_event: plan.entry, updated_at: now }))
        .execute();
    }
  });
}

/** The stored plan of one funnel version. */
export async function getPlanVersion(db: Db, funnelId: string, version: string): Promise<Plan> {
  const row = await db.selectFrom('funnel_versions').select('plan').where('funnel_id', '=', funnelId).where('version', '=', version).executeTakeFirst();
  if (!row) throw new NotFoundError('funnel version', `${funnelId}@${version}`);
  return JSON.parse(row.plan) as Plan;
}
