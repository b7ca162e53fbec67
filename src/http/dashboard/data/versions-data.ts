import type { Ctx } from '../context';
import type { ResolvedDeps } from '../deps';
import type { VersionedPlan } from '../../../db/funnels';
import type { VersionsView } from '../components/versions-panel';
import { parseMapField } from '../components/versions-panel';
import { versionsInFlight } from '../../../versions/in-flight';
import { funnelVersions } from '../../../versions/resolve-steps';
import { planMigration } from '../../../versions/plan-migration';
import { migrationsOf } from '../../../versions/start-migration';

/** The stats version asked for (`?version=`), when it is a stored version of the funnel; undefined means all. */
export async function statsVersionOf(deps: ResolvedDeps, c: Ctx, funnelId: string): Promise<string | undefined> {
  const asked = c.req.query('version');
  if (!asked) return undefined;
  const row = await deps.db.selectFrom('funnel_versions').select('version').where('funnel_id', '=', funnelId).where('version', '=', asked).executeTakeFirst();
  return row?.version;
}

/** The versions panel of a funnel page: versions in flight, the dry run the query asks for, the migrations. */
export async function versionsView(deps: ResolvedDeps, c: Ctx, funnel: VersionedPlan, statsVersion: string | undefined): Promise<VersionsView> {
  const id = funnel.plan.id;
  const versions = deps.engine ? await funnelVersions(deps.engine, id) : await versionsInFlight(deps.db, id, funnel.version);
  const form = { from: c.req.query('migrateFrom') ?? 'all', map: c.req.query('map') ?? '' };
  let preview: VersionsView['preview'];
  let error = c.req.query('migrationError') || undefined;
  if (c.req.query('migrateFrom') && !error) {
    try {
      preview = await planMigration({ db: deps.db, funnels: deps.funnels }, id, { from: form.from, map: parseMapField(form.map) });
    } catch (err) {
      error = (err as Error).message;
    }
  }
  return {
    versions, statsVersion, form, preview, error, migrations: await migrationsOf({ db: deps.db }, id),
    started: c.req.query('migration') || undefined, canApply: deps.engine !== undefined,
  };
}
