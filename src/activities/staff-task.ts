import type { Db } from '../db/database';
import { findContact } from '../db/contacts';
import { StaffTaskHandoffError } from '../errors';

/** Where staff tasks go: a webhook that gets each task as JSON (a CRM, a team chat bot, an automation service). */
export interface StaffTaskHandoff {
  webhookUrl: string;
  /** Base of the dashboard link in each task (the contact's page, where the touch is logged). */
  publicUrl: string;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
}

/** A task a funnel's `task()` step asks the staff to do. */
export interface StaffTaskInput {
  enrollmentId: string;
  funnelId: string;
  /** The funnel's name; the funnel's current name when absent (the workflow carries no content). */
  funnelName?: string | undefined;
  contactId: string;
  taskId: string;
  kind: string;
  title: string;
  assignee?: string | undefined;
  dueAt: number;
}

/** What happened to a task: handed to the webhook, or kept (no hand-off configured: the staff see the lead on the dashboard). */
export interface StaffTaskResult {
  handedOff: boolean;
}

/**
 * Hands the task to the webhook: `POST` JSON `{type: "staff_task", id, funnelId, funnelName, enrollmentId, taskId, kind,
 * title, assignee, dueAt, contact: {id, name, email, phone}, logUrl}` with the header `Idempotency-Key: <id>` (a
 * retried activity sends the same key). Throws on a non-2xx answer or a timeout, so the activity retries.
 */
export async function createStaffTask(db: Db, handoff: StaffTaskHandoff | undefined, t: StaffTaskInput): Promise<StaffTaskResult> {
  if (!handoff) return { handedOff: false };
  const contact = await findContact(db, { contactId: t.contactId });
  const funnelName = t.funnelName ?? (await db.selectFrom('funnels').select('name').where('id', '=', t.funnelId).executeTakeFirst())?.name ?? t.funnelId;
  const id = `${t.enrollmentId}:${t.taskId}`;
  const body = {
    type: 'staff_task', id, funnelId: t.funnelId, funnelName, enrollmentId: t.enrollmentId, taskId: t.taskId,
    kind: t.kind, title: t.title, assignee: t.assignee ?? null, dueAt: new Date(t.dueAt).toISOString(),
    contact: { id: t.contactId, name: contact?.name ?? null, email: contact?.email ?? null, phone: contact?.phone ?? null },
    logUrl: `${handoff.publicUrl.replace(/\/$/, '')}/dashboard/contacts/${encodeURIComponent(t.contactId)}#log-touch`,
  };
  const res = await fetch(handoff.webhookUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': id }, body: JSON.stringify(body),
    signal: AbortSignal.timeout(handoff.timeoutMs ?? 10_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new StaffTaskHandoffError(`the staff task webhook answered ${res.status}`);
  return { handedOff: true };
}
