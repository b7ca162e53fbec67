import type { EngineDeps } from './deps';
import type { EnrollmentRow, EventRow } from '../db/schema';
import type { FunnelEvent } from '../../workflows/types';
import { NotFoundError } from '../errors';
import { newId } from '../db/ids';
import { decideEntry, entryKeyOf } from './reentry';
import { parseJsonObject } from '../db/json';
import { skeletonOf } from '../../workflows/skeleton';

/** The enrollment as the API answers it. */
export interface EnrollmentRef {
  enrollmentId: string;
  contactId: string;
  funnelId: string;
  version: string;
}

/** A stored event as workflows receive it. */
export function toFunnelEvent(row: EventRow, conversion = false): FunnelEvent {
  return {
    id: row.id, name: row.name, properties: parseJsonObject(row.properties), value: row.value, occurredAt: row.occurred_at,
    ...(conversion && { conversion }),
  };
}

function activeEnrollment(deps: EngineDeps, funnelId: string, contactId: string, entryKey: string): Promise<EnrollmentRow | undefined> {
  return deps.db.selectFrom('enrollments').selectAll().where('funnel_id', '=', funnelId).where('contact_id', '=', contactId)
    .where('entry_key', '=', entryKey).where('status', '=', 'active').executeTakeFirst();
}

function refOf(row: EnrollmentRow): EnrollmentRef {
  return { enrollmentId: row.id, contactId: row.contact_id, funnelId: row.funnel_id, version: row.version };
}

/**
 * Enrolls a contact into a funnel's current version. An active enrollment (under the same entry key, for
 * `reentry: { key }`) is returned as it is (created: false) and its workflow is started if a crash left it without
 * one; one the funnel's re-entry rule refuses a new one for (`decideEntry`) is returned as it is, nothing started; a
 * new one is rolled back if Temporal refuses it.
 */
export async function enroll(deps: EngineDeps, funnelId: string, contactId: string, trigger: EventRow | null = null): Promise<{ enrollment: EnrollmentRef; created: boolean }> {
  const funnel = deps.funnels.get(funnelId);
  if (!funnel) throw new NotFoundError('funnel', funnelId);
  const entryKey = entryKeyOf(funnel.plan.reentry, trigger);
  let row = await activeEnrollment(deps, funnelId, contactId, entryKey);
  let created = false;
  if (!row) {
    const decision = await decideEntry(deps.db, funnel.plan.reentry, funnelId, contactId, entryKey, deps.now());
    if (!decision.admit) {
      deps.log.info('re-entry refused by the funnel', { funnel: funnelId, contact: contactId, enrollment: decision.existing.id });
      return { enrollment: refOf(decision.existing), created: false };
    }
    const id = newId('en');
    try {
      row = await deps.db.insertInto('enrollments').values({
        id, funnel_id: funnelId, contact_id: contactId, version: funnel.version,
        workflow_id: decision.workflowId(id), status: 'active', current_step: null, exit_reason: null,
        trigger_event_id: trigger?.id ?? null, enrolled_at: deps.now(), finished_at: null, converted_at: null, workflow_started_at: null,
        entry_key: entryKey,
      }).returningAll().executeTakeFirstOrThrow();
      created = true;
    } catch (err) {
      row = await activeEnrollment(deps, funnelId, contactId, entryKey); // lost a race with a concurrent enroll
      if (!row) throw err;
    }
  }
  try {
    await startEnrollmentWorkflow(deps, row, trigger);
  } catch (err) {
    if (created) await deps.db.deleteFrom('enrollments').where('id', '=', row.id).execute();
    throw err;
  }
  if (created) deps.log.info('enrolled', { funnel: funnelId, contact: contactId, enrollment: row.id, version: row.version });
  return { enrollment: refOf(row), created };
}

/** The entry event as a workflow's input carries it: its scalar properties only, all a condition can compare. */
export function leanTrigger(row: EventRow): FunnelEvent {
  const event = toFunnelEvent(row);
  const properties = Object.fromEntries(Object.entries(event.properties).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)));
  return { ...event, properties };
}

/**
 * Starts the enrollment's workflow pinned to its version — the lean plan in the input, the content left to the
 * activities — with its trigger (signal-with-start: a running one is left as it is), then marks the row started so
 * the server's sweep leaves it alone.
 */
export async function startEnrollmentWorkflow(deps: EngineDeps, row: EnrollmentRow, trigger: EventRow | null = null): Promise<void> {
  const plan = await deps.funnels.planAt(deps.db, row.funnel_id, row.version);
  const triggerRow = row.trigger_event_id
    ? trigger ?? await deps.db.selectFrom('events').selectAll().where('id', '=', row.trigger_event_id).executeTakeFirst()
    : undefined;
  await deps.gateway.start({
    enrollmentId: row.id, funnelId: row.funnel_id, contactId: row.contact_id, version: row.version, skeleton: skeletonOf(plan), enrolledAt: row.enrolled_at,
    trigger: triggerRow ? leanTrigger(triggerRow) : null,
  }, row.workflow_id);
  await markWorkflowStarted(deps, row.id);
}

/** Records that Temporal has the enrollment's workflow (idempotent: the first time stays). */
export async function markWorkflowStarted(deps: EngineDeps, enrollmentId: string): Promise<void> {
  await deps.db.updateTable('enrollments').set({ workflow_started_at: deps.now() })
    .where('id', '=', enrollmentId).where('workflow_started_at', 'is', null).execute();
}
