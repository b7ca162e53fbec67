import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { BroadcastActivities } from '../src/broadcasts/activities';

/** The input of one broadcast's workflow; its snapshot of contacts is in the database, taken when it was created. */
export interface BroadcastInput {
  broadcastId: string;
  /** Enrollments per second, at most. */
  ratePerSecond: number;
  /** Tests only: continue-as-new after this many batches. */
  continueAsNewAfter?: number;
}

/** Contacts enrolled per batch: about one second's worth at the rate, between 1 and 100. */
export function broadcastBatchSize(ratePerSecond: number): number {
  return Math.max(1, Math.min(100, Math.ceil(ratePerSecond)));
}

const acts = proxyActivities<BroadcastActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Enrolls a broadcast's snapshot batch by batch, sleeping after each batch as long as its enrollments take at the
 * rate (so no second sees more than about `ratePerSecond` of them, plus one batch); progress lives on the members'
 * rows, so a worker crash, a retry or a continue-as-new resumes where it stopped and nobody is enrolled twice.
 */
export async function broadcastWorkflow(input: BroadcastInput): Promise<{ enrolled: number; skipped: number }> {
  const limit = broadcastBatchSize(input.ratePerSecond);
  let batches = 0;
  for (;;) {
    const batch = await acts.enrollBroadcastBatch({ broadcastId: input.broadcastId, limit, now: Date.now() });
    if (batch.remaining === 0) break;
    await sleep(Math.ceil((batch.processed / input.ratePerSecond) * 1000));
    batches += 1;
    if (batches >= (input.continueAsNewAfter ?? 500) || workflowInfo().continueAsNewSuggested) await continueAsNew<typeof broadcastWorkflow>(input);
  }
  return acts.finishBroadcast({ broadcastId: input.broadcastId, now: Date.now() });
}
