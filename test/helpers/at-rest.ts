import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { temporal } from '@temporalio/proto';
import { eventually } from './ports';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * What a run's history leaves open: a workflow task scheduled or started and not yet closed, and activities scheduled
 * and not yet closed; `closed` once the run has ended.
 */
function openWork(events: readonly HistoryEvent[]): { closed: boolean; workflowTask: boolean; activities: number } {
  let workflowTask = false;
  let closed = false;
  const activities = new Set<string>();
  for (const e of events) {
    if (e.workflowTaskScheduledEventAttributes) workflowTask = true;
    if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) workflowTask = false;
    if (e.activityTaskScheduledEventAttributes) activities.add(String(e.eventId));
    const ended = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (ended) activities.delete(String(ended.scheduledEventId));
    if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes || e.workflowExecutionTerminatedEventAttributes
      || e.workflowExecutionCanceledEventAttributes || e.workflowExecutionTimedOutEventAttributes || e.workflowExecutionContinuedAsNewEventAttributes) closed = true;
  }
  return { closed, workflowTask: workflowTask && !closed, activities: closed ? 0 : activities.size };
}

/**
 * Waits until the workflow has no workflow task and no activity open (it rests on a timer or a signal), or has ended.
 *
 * Why: the time-skipping test server locks time for every open workflow task and activity and unlocks it when the
 * task closes; a workflow terminated meanwhile never closes them, so the lock stays for good and every later
 * `env.sleep` in the file runs in real time (sdk-java's TestWorkflowMutableStateImpl: terminate releases neither).
 * Terminating only at rest keeps time skipping for the tests after it.
 */
export async function untilAtRest(env: TestWorkflowEnvironment, workflowId: string, what = `${workflowId} at rest`): Promise<void> {
  await eventually(async () => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const open = openWork(history.events ?? []);
    return open.closed || (!open.workflowTask && open.activities === 0);
  }, what);
}

/**
 * Terminates the workflow once it is at rest (see `untilAtRest`), or after 30 s in any case (a test's cleanup must
 * not hide the test's own failure behind its own).
 */
export async function endAtRest(env: TestWorkflowEnvironment, end: (workflowId: string) => Promise<void>, workflowId: string): Promise<void> {
  await untilAtRest(env, workflowId).catch(() => undefined);
  await end(workflowId);
}
