import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** The input of one migration's run. */
export interface MigrationRunInput {
  migrationId: string;
  /** Enrollments with ids up to this one were asked already (after a continue-as-new). */
  after?: string;
  /** How many enrollments one activity asks; default 200. */
  batchSize?: number;
  /** How long it waits for the asked enrollments to answer before it calls the migration done; default 1 hour. */
  answerWithinMs?: number;
}

/**
 * Runs one migration durably: asks the funnel's in-flight enrollments to move, a batch per activity in id order (so a
 * crash or a re-run asks nobody twice), then waits for their answers and marks the migration done. Each enrollment
 * moves itself at its next safe point (see enrollmentWorkflow); one that answers after the wait still records it.
 */
export async function funnelMigrationWorkflow(input: MigrationRunInput): Promise<{ asked: number; pending: number }> {
  let after = input.after ?? '';
  for (;;) {
    const batch = await acts.signalMigrationBatch({ migrationId: input.migrationId, after, limit: input.batchSize ?? 200, now: Date.now() });
    if (batch.count === 0) break;
    after = batch.last;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof funnelMigrationWorkflow>({ ...input, after });
  }
  const deadline = Date.now() + (input.answerWithinMs ?? 3_600_000);
  let progress = await acts.migrationProgress({ migrationId: input.migrationId });
  for (let pause = 500; progress.pending > 0 && Date.now() < deadline; pause = Math.min(pause * 2, 30_000)) {
    await sleep(Math.min(pause, Math.max(deadline - Date.now(), 1)));
    progress = await acts.migrationProgress({ migrationId: input.migrationId });
  }
  await acts.finishMigration({ migrationId: input.migrationId, at: Date.now() });
  return { asked: progress.signalled, pending: progress.pending };
}
