import { ApplicationFailure, log } from '@temporalio/activity';
import type { Db } from '../db/database';
import type { DeliveryStatus } from '../db/schema';
import type { EmailStep } from '../dsl/plan';
import type { EmailChannel } from '../channels/channel';
import type { FunnelEvent } from '../../workflows/types';
import { newId } from '../db/ids';
import { consentFor, findContact } from '../db/contacts';
import { renderTemplate, templateContext } from '../templates/render';

/** One touch to send for one enrollment. */
export interface SendTouchInput {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  funnelName: string;
  touch: EmailStep;
  trigger: FunnelEvent | null;
  /** Workflow time when the funnel reached this touch. */
  scheduledAt: number;
}

/** The ledger's answer for the touch. */
export interface TouchResult {
  deliveryId: string;
  status: DeliveryStatus;
  reason?: string | undefined;
}

/** Dependencies of the send activity. */
export interface SendTouchDeps {
  db: Db;
  email: EmailChannel;
  mailFrom: string;
}

/**
 * Sends a touch at most once per (enrollment, touch): the ledger row is written before the send and a
 * retried activity that finds it finished returns the recorded result instead of sending again.
 */
export async function sendTouch(deps: SendTouchDeps, input: SendTouchInput): Promise<TouchResult> {
  const { db } = deps;
  // A touch is never recorded before the funnel reached it: in production this is simply the wall clock,
  // in virtual-time tests it keeps the ledger on the workflow's clock.
  const clock = () => Math.max(Date.now(), input.scheduledAt);
  const now = clock();
  await db.insertInto('deliveries').values({
    id: newId('dl'), enrollment_id: input.enrollmentId, funnel_id: input.funnelId, contact_id: input.contactId,
    touch_id: input.touch.id, channel: 'email', status: 'pending', scheduled_at: input.scheduledAt, created_at: now, attempts: 0,
  }).onConflict((oc) => oc.columns(['enrollment_id', 'touch_id']).doNothing()).execute();
  const row = await db.selectFrom('deliveries').selectAll()
    .where('enrollment_id', '=', input.enrollmentId).where('touch_id', '=', input.touch.id).executeTakeFirstOrThrow();
  if (row.status !== 'pending') return { deliveryId: row.id, status: row.status, reason: row.reason ?? undefined };

  const finish = async (status: DeliveryStatus, fields: { reason?: string; provider_message_id?: string } = {}): Promise<TouchResult> => {
    const at = clock();
    await db.updateTable('deliveries').set({
      status, reason: fields.reason ?? null, provider_message_id: fields.provider_message_id ?? null,
      ...(status === 'failed' ? { failed_at: at } : {}),
      ...(status === 'delivered' || status === 'sent' || status === 'outbox' ? { sent_at: at } : {}),
      ...(status === 'delivered' ? { delivered_at: at } : {}),
    }).where('id', '=', row.id).execute();
    return { deliveryId: row.id, status, reason: fields.reason };
  };

  const contact = await findContact(db, { contactId: input.contactId });
  if (!contact) return finish('failed', { reason: 'contact_deleted' });
  if (!contact.email) return finish('skipped', { reason: 'no_address' });
  if ((await consentFor(db, contact.id, 'email')) === false) return finish('skipped', { reason: 'no_consent' });

  const ctx = templateContext(contact, input.trigger, { id: input.funnelId, name: input.funnelName }, input.touch.id);
  let subject: string, html: string | undefined, text: string | undefined;
  try {
    subject = (await renderTemplate(input.touch.subject, ctx, 'text')).trim();
    html = input.touch.html === undefined ? undefined : await renderTemplate(input.touch.html, ctx, 'html');
    text = input.touch.text === undefined ? undefined : await renderTemplate(input.touch.text, ctx, 'text');
  } catch (err) {
    return finish('failed', { reason: `template: ${(err as Error).message}` });
  }
  await db.updateTable('deliveries').set((eb) => ({ attempts: eb('attempts', '+', 1), recipient: contact.email, subject }))
    .where('id', '=', row.id).execute();

  const result = await deps.email.send({ to: contact.email, from: deps.mailFrom, subject, html, text }, { deliveryId: row.id });
  if (result.ok) return finish(result.status, { provider_message_id: result.providerMessageId });
  if (result.retryable) {
    log.warn('touch send failed, will retry', { touch: input.touch.id, enrollment: input.enrollmentId, reason: result.reason });
    throw ApplicationFailure.retryable(result.reason, 'TemporarySendFailure');
  }
  return finish('failed', { reason: result.reason });
}
