import type { EngineDeps } from './deps';
import { markWorkflowStarted, startEnrollmentWorkflow } from './enroll';

/**
 * Starts the workflow of every active enrollment that has none: the row was written but the process died before
 * Temporal accepted the start (or the row predates the `workflow_started_at` mark). A workflow Temporal already has
 * for this enrollment, running or closed, is only marked — a closed one is never run twice. Rows younger than `olderThanMs` are left to
 * the enroll call that is still starting them. Returns how many workflows it started.
 */
export async function startMissingWorkflows(deps: EngineDeps, olderThanMs = 0, limit = 500): Promise<number> {
  const rows = await deps.db.selectFrom('enrollments').selectAll()
    .where('workflow_started_at', 'is', null).where('status', '=', 'active')
    .where('enrolled_at', '<=', deps.now() - olderThanMs).orderBy('enrolled_at').limit(limit).execute();
  let started = 0;
  for (const row of rows) {
    // Today's id is per funnel and contact (re-entries add a suffix), so a closed run from before this row belongs to an earlier enrollment.
    const run = await deps.gateway.latestRun(row.workflow_id);
    if (run && (run.running || (run.closedAt ?? 0) >= row.enrolled_at)) {
      await markWorkflowStarted(deps, row.id);
      continue;
    }
    await startEnrollmentWorkflow(deps, row);
    started += 1;
    deps.log.info('started the workflow of an enrollment a crash left without one', { enrollment: row.id, funnel: row.funnel_id, contact: row.contact_id });
  }
  return started;
}
