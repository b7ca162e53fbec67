import type { EngineDeps } from '../engine/deps';
import { NotFoundError } from '../errors';
import { versionsInFlight, type VersionInFlight } from './in-flight';

/** How many enrollments without a noted step one answer asks their workflow about (each query waits up to 3 s for a worker). */
const ASK_AT_MOST = 50;
const AT_ONCE = 10;

/**
 * Notes the resting step of active enrollments that have none yet — runs started before the workflow noted its steps,
 * resting in a wait they began before — by asking their workflows (`currentStep`), a bounded number per call. Only a
 * waiting answer is kept, and only where nothing was noted meanwhile (the workflow's own note wins). Returns how many.
 */
export async function noteUnknownSteps(deps: EngineDeps, funnelId: string, limit = ASK_AT_MOST): Promise<number> {
  const rows = await deps.db.selectFrom('enrollments').select(['id', 'workflow_id'])
    .where('funnel_id', '=', funnelId).where('status', '=', 'active').where('current_step', 'is', null)
    .where('workflow_started_at', 'is not', null).orderBy('enrolled_at').limit(limit).execute();
  let noted = 0;
  for (let i = 0; i < rows.length; i += AT_ONCE) {
    const answers = await Promise.all(rows.slice(i, i + AT_ONCE).map(async (r) => ({ r, p: await deps.gateway.currentStep(r.workflow_id) })));
    for (const { r, p } of answers) {
      if (p?.state !== 'waiting' || p.stepId === null) continue;
      const done = await deps.db.updateTable('enrollments').set({ current_step: p.stepId })
        .where('id', '=', r.id).where('status', '=', 'active').where('current_step', 'is', null).executeTakeFirst();
      noted += Number(done.numUpdatedRows);
    }
    if (answers.every(({ p }) => p === null)) break; // no worker answers: asking the rest would only wait
  }
  return noted;
}

/** The funnel's current version: the one this process serves, else the one stored as current; NotFoundError for an unknown funnel. */
export async function currentVersionOf(deps: EngineDeps, funnelId: string): Promise<string | null> {
  const served = deps.funnels.get(funnelId);
  if (served) return served.version;
  const row = await deps.db.selectFrom('funnels').select('current_version').where('id', '=', funnelId).executeTakeFirst();
  if (row) return row.current_version;
  if (deps.funnels.refusals(funnelId).length > 0) return null;
  throw new NotFoundError('funnel', funnelId);
}

/** `GET /api/funnels/:id/versions`: every version in flight with counts per step, after asking about unknown steps. */
export async function funnelVersions(deps: EngineDeps, funnelId: string): Promise<VersionInFlight[]> {
  const current = await currentVersionOf(deps, funnelId);
  await noteUnknownSteps(deps, funnelId);
  return versionsInFlight(deps.db, funnelId, current);
}
