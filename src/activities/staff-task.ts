import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/database';
import type { TeamNotifier } from '../handoff/index';
import { findContact } from '../db/contacts';
import { postSignedJson } from '../handoff/index';
import { StaffTaskHandoffError } from '../errors';

/** The staff task webhook (STAFF_TASK_WEBHOOK_URL): a CRM, a team-chat bot or an automation service that gets each task as JSON. */
export interface StaffTaskHandoff {
  webhookUrl: string;
  /** Base of the dashboard link in each task (the contact's page, where the touch is logged). */
  publicUrl: string;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
}

/** Every hand-off a task goes through: the signed webhook and/or the team's notification channels. */
export interface StaffTaskRoutes {
  webhook?: StaffTaskHandoff | undefined;
  /** The hand-off signing secret (WEBHOOK_SECRET, else derived from SECRET_KEY); tasks are signed like webhook() steps. */
  signingSecret: string;
  /** TEAM_EMAIL / TEAM_TELEGRAM_CHAT_ID; each task is also sent to the team there. */
  team?: TeamNotifier | null | undefined;
  /** Base of the dashboard link when no webhook gives one. */
  publicUrl: string;
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

/** What happened to a task: handed off (and where), or kept (no hand-off configured: the staff see the lead on the dashboard). */
export interface StaffTaskResult {
  handedOff: boolean;
  /** `webhook`, `team:email:<address>`, `team:telegram:<chat>` — the hand-offs that took it. */
  via?: string[];
}

/**
 * Hands the task to every configured hand-off. The webhook gets `POST` JSON `{type: "staff_task", id, funnelId,
 * funnelName, enrollmentId, taskId, kind, title, assignee, dueAt, contact: {id, name, email, phone}, logUrl}`, signed
 * like every hand-off (`X-Autofunnel-Signature`, `X-Autofunnel-Delivery: <id>`) and with `Idempotency-Key: <id>` (a
 * retried activity sends the same id). The team gets «Задача: <title>» with the due time and the contact's card. A
 * refusal a retry can fix throws so the activity retries (the webhook first: the team is told once it took the task or
 * refused it for good); a webhook's final refusal (another 4xx) fails the activity for good.
 */
export async function createStaffTask(db: Db, routes: StaffTaskRoutes, t: StaffTaskInput): Promise<StaffTaskResult> {
  const { webhook, team } = routes;
  if (!webhook && !team) return { handedOff: false };
  const contact = await findContact(db, { contactId: t.contactId });
  const funnelName = t.funnelName ?? (await db.selectFrom('funnels').select('name').where('id', '=', t.funnelId).executeTakeFirst())?.name ?? t.funnelId;
  const id = `${t.enrollmentId}:${t.taskId}`;
  const publicUrl = (webhook?.publicUrl ?? routes.publicUrl).replace(/\/$/, '');
  const via: string[] = [];
  let refused: string | null = null;
  if (webhook) {
    const body = {
      type: 'staff_task', id, funnelId: t.funnelId, funnelName, enrollmentId: t.enrollmentId, taskId: t.taskId,
      kind: t.kind, title: t.title, assignee: t.assignee ?? null, dueAt: new Date(t.dueAt).toISOString(),
      contact: { id: t.contactId, name: contact?.name ?? null, email: contact?.email ?? null, phone: contact?.phone ?? null },
      logUrl: `${publicUrl}/dashboard/contacts/${encodeURIComponent(t.contactId)}#log-touch`,
    };
    const res = await postSignedJson({
      url: webhook.webhookUrl, payload: body, secret: routes.signingSecret, deliveryId: id, timeoutMs: webhook.timeoutMs ?? 10_000,
      headers: { 'idempotency-key': id },
    });
    if (!res.ok && res.retryable) throw new StaffTaskHandoffError(`the staff task webhook answered ${res.status ?? res.reason}`);
    if (res.ok) via.push('webhook');
    else refused = `the staff task webhook refused the task: ${res.reason}`;
  }
  if (team) {
    const due = new Date(t.dueAt).toISOString().replace('T', ' ').slice(0, 16);
    const lines = [`${funnelName}: ${t.title}`, `Контакт: ${contact?.name ?? t.contactId}${contact?.phone ? `, ${contact.phone}` : ''}${contact?.email ? `, ${contact.email}` : ''}`,
      `Срок: ${due} UTC${t.assignee ? ` · ${t.assignee}` : ''}`, `Когда сделаете, отметьте касание (${t.kind}) на карточке контакта:`];
    const results = await team.notify({ subject: `Задача: ${t.title}`, text: lines.join('\n'), contactId: t.contactId }, `task:${id}`);
    if (results.some((r) => !r.ok && r.retryable)) throw new StaffTaskHandoffError(`the team notification failed: ${results.filter((r) => !r.ok).map((r) => r.reason).join('; ')}`);
    for (const r of results) if (r.ok) via.push(`team:${r.channel}:${r.to}`);
  }
  if (refused !== null && via.length === 0) throw ApplicationFailure.create({ message: refused, type: 'StaffTaskRefused', nonRetryable: true });
  return { handedOff: via.length > 0, via };
}
