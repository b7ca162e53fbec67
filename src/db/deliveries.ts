import type { Db } from './database';
import type { DeliveryRow, DeliveryStatus } from './schema';
import type { TouchEventSuffix } from '../../workflows/touch-events';
import { newId } from './ids';
import { logTouch } from './touch-log';
import { isReached } from '../../workflows/statuses';

/*
 * The delivery ledger's one owner: every write to `deliveries` is one of the transitions below, so the rules of a
 * row's life (written before the send, claimed by one attempt, final once sent, engagement times kept from the first
 * time) live in one place, in portable SQL for both databases. Reads stay with the code that needs them; a test
 * (test/db/ledger-owner.test.ts) fails if anything else writes the table.
 */

/** The row a touch is written as before anything is sent. */
export interface OpenDelivery {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  touchId: string;
  /** The touch's primary channel (also the planned one). */
  channel: string;
  scheduledAt: number;
  createdAt: number;
  priority: number;
  variant: string | null;
}

/** Writes the touch's `pending` row once per (enrollment, touch) and answers the row as stored: new, or an earlier attempt's. */
export async function openDelivery(db: Db, d: OpenDelivery): Promise<DeliveryRow> {
  await db.insertInto('deliveries').values({
    id: newId('dl'), enrollment_id: d.enrollmentId, funnel_id: d.funnelId, contact_id: d.contactId,
    touch_id: d.touchId, channel: d.channel, planned_channel: d.channel, status: 'pending', scheduled_at: d.scheduledAt,
    created_at: d.createdAt, attempts: 0, priority: d.priority, variant: d.variant,
  }).onConflict((oc) => oc.columns(['enrollment_id', 'touch_id']).where('logged_touch_id', 'is', null).doNothing()).execute();
  return db.selectFrom('deliveries').selectAll()
    .where('enrollment_id', '=', d.enrollmentId).where('touch_id', '=', d.touchId).where('logged_touch_id', 'is', null).executeTakeFirstOrThrow();
}

/** How many send attempts the row has claimed so far. */
export async function deliveryAttempts(db: Db, id: string): Promise<number> {
  return (await db.selectFrom('deliveries').select('attempts').where('id', '=', id).executeTakeFirstOrThrow()).attempts;
}

/**
 * Claims the next send attempt: only the caller that read `attempts` as it still is moves it on, so two overlapping
 * attempts never both send. `sending_since` stays set until the outcome is recorded. False when another attempt won.
 */
export async function claimSend(db: Db, id: string, claim: { attempts: number; recipient: string; subject: string | null; channel: string; at: number }): Promise<boolean> {
  const claimed = await db.updateTable('deliveries')
    .set({ attempts: claim.attempts + 1, recipient: claim.recipient, subject: claim.subject, channel: claim.channel, sending_since: claim.at })
    .where('id', '=', id).where('attempts', '=', claim.attempts).executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}

/** The claimed attempt `attempt` failed and said so: the claim is released (a later attempt is not "interrupted"). */
export async function releaseClaim(db: Db, id: string, attempt: number): Promise<void> {
  await db.updateTable('deliveries').set({ sending_since: null }).where('id', '=', id).where('attempts', '=', attempt).execute();
}

/**
 * Clears the claim an earlier attempt left behind when it died mid-send (`sending_since` as read). True for exactly
 * one caller, so overlapping attempts note the interruption once.
 */
export async function clearInterruptedClaim(db: Db, id: string, sendingSince: number): Promise<boolean> {
  const cleared = await db.updateTable('deliveries').set({ sending_since: null })
    .where('id', '=', id).where('sending_since', '=', sendingSince).executeTakeFirst();
  return Number(cleared.numUpdatedRows) > 0;
}

/** The send waits: `deferred` until `until`, for `reason` (send window, frequency cap). */
export async function deferDelivery(db: Db, id: string, until: number, reason: string): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'deferred', deferred_until: until, reason }).where('id', '=', id).execute();
}

/** What a finished touch records beside its status. */
export interface FinishFields {
  reason?: string | undefined;
  /** The channel the touch went out on (after a fallback, not the planned one). */
  channel?: string | undefined;
  /** The channel's answer for a message it took. */
  result?: { providerMessageId: string; segments?: number | undefined; cost?: number | undefined } | undefined;
  at: number;
}

/**
 * Records the touch's outcome: the status with its reason, the claim and any deferral cleared, the time it was sent
 * (reached statuses), delivered or failed, and the provider's message id, segments and cost.
 */
export async function finishDelivery(db: Db, id: string, status: DeliveryStatus, f: FinishFields): Promise<void> {
  await db.updateTable('deliveries').set({
    status, reason: f.reason ?? null, deferred_until: null, sending_since: null,
    ...(f.channel !== undefined && { channel: f.channel }),
    ...(f.result && { provider_message_id: f.result.providerMessageId, segments: f.result.segments ?? null, cost: f.result.cost ?? null }),
    ...(status === 'failed' && { failed_at: f.at }),
    ...(isReached(status) && { sent_at: f.at }),
    ...(status === 'delivered' && { delivered_at: f.at }),
  }).where('id', '=', id).execute();
}

/** A touch whose retries ran out is `failed`, unless it already reached a final state. */
export async function failPendingDelivery(db: Db, t: { enrollmentId: string; touchId: string; reason: string; at: number }): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'failed', reason: t.reason, failed_at: t.at })
    .where('enrollment_id', '=', t.enrollmentId).where('touch_id', '=', t.touchId).where('status', '=', 'pending').execute();
}

/** The ledger column each touch event sets (a page view is the page touch's "opened"); `sent` is the send's own record. */
const ENGAGEMENT_COLUMN = {
  sent: null, opened: 'opened_at', viewed: 'opened_at', clicked: 'clicked_at', replied: 'replied_at', delivered: 'delivered_at', failed: 'failed_at',
  unsubscribed: 'unsubscribed_at',
} as const satisfies Record<TouchEventSuffix, string | null>;

/**
 * Marks a touch event on the contact's deliveries of that touch (in that funnel, when named): the first time of each
 * kind is kept; a click also counts as an open.
 */
export async function recordEngagement(db: Db, e: { contactId: string; touchId: string; funnelId?: string | undefined; what: TouchEventSuffix; at: number }): Promise<void> {
  const column = ENGAGEMENT_COLUMN[e.what];
  if (column === null) return;
  let q = db.updateTable('deliveries').set({ [column]: e.at })
    .where('contact_id', '=', e.contactId).where('touch_id', '=', e.touchId).where(column, 'is', null);
  if (e.funnelId !== undefined) q = q.where('funnel_id', '=', e.funnelId);
  await q.execute();
  if (e.what === 'clicked') {
    let open = db.updateTable('deliveries').set({ opened_at: e.at })
      .where('contact_id', '=', e.contactId).where('touch_id', '=', e.touchId).where('opened_at', 'is', null);
    if (e.funnelId !== undefined) open = open.where('funnel_id', '=', e.funnelId);
    await open.execute();
  }
}

/**
 * A provider's delivery report: a `sent` delivery becomes `delivered` (delivered_at) or `failed` (failed_at, reason).
 * False when the row is no longer `sent` (a repeated or late report), which changes nothing.
 */
export async function applyReceipt(db: Db, id: string, r: { state: 'delivered' | 'failed'; at: number; reason: string }): Promise<boolean> {
  const update = r.state === 'delivered'
    ? db.updateTable('deliveries').set({ status: 'delivered', delivered_at: r.at })
    : db.updateTable('deliveries').set({ status: 'failed', failed_at: r.at, reason: r.reason });
  const res = await update.where('id', '=', id).where('status', '=', 'sent').executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A hard bounce of a sent email: the delivery is `failed` with the bounce's reason (its first failure time kept), in the touch log too, atomically. */
export async function markBounced(db: Db, delivery: DeliveryRow, reason: string, at: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('deliveries').set({ status: 'failed', reason, failed_at: delivery.failed_at ?? at })
      .where('id', '=', delivery.id).execute();
    await logTouch(trx, delivery, { kind: 'failed', reason, channel: 'email', at });
  });
}

/** The contact unsubscribed through this delivery's link: the first time is kept. */
export async function markUnsubscribed(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('deliveries').set({ unsubscribed_at: at }).where('id', '=', id).where('unsubscribed_at', 'is', null).execute();
}

/** A page touch reached by one enrollment. */
export interface PageDelivery {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  pageId: string;
  title: string;
  /** The message of this enrollment whose tracked link the visit came through (credited instead of the page). */
  viaDeliveryId?: string | null | undefined;
}

/**
 * A page touch has one row per enrollment and page, `delivered` on channel `page` when first reached; a visit sets
 * its `opened_at` (a page's "viewed"), the first visit's time kept, and the message the first visit came through.
 */
export async function recordPageDelivery(db: Db, p: PageDelivery, at: number, viewed: boolean): Promise<void> {
  await db.insertInto('deliveries').values({
    id: newId('dl'), enrollment_id: p.enrollmentId, funnel_id: p.funnelId, contact_id: p.contactId,
    touch_id: p.pageId, channel: 'page', planned_channel: 'page', status: 'delivered', reason: null, recipient: null,
    subject: p.title, provider_message_id: null, attempts: 1, scheduled_at: at, created_at: at, sent_at: at,
    delivered_at: at, opened_at: viewed ? at : null, clicked_at: null, replied_at: null, failed_at: null,
    segments: null, cost: null, deferred_until: null, unsubscribed_at: null, variant: null,
    ...(viewed && p.viaDeliveryId && { via_delivery_id: p.viaDeliveryId }),
  }).onConflict((oc) => oc.columns(['enrollment_id', 'touch_id']).where('logged_touch_id', 'is', null).doNothing()).execute();
  if (!viewed) return;
  await db.updateTable('deliveries').set({ opened_at: at, ...(p.viaDeliveryId && { via_delivery_id: p.viaDeliveryId }) })
    .where('enrollment_id', '=', p.enrollmentId).where('touch_id', '=', p.pageId)
    .where('logged_touch_id', 'is', null).where('opened_at', 'is', null).execute();
}

/** The channel of every staff or offline touch's ledger row. */
export const STAFF_CHANNEL = 'staff';

/** One enrollment a staff or offline touch counts in. */
export interface LoggedDelivery {
  loggedTouchId: string;
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  /** The touch's kind (`call`, `meeting`, …): its touch id in the stats. */
  kind: string;
  /** What the staff member did, shown as the row's subject. */
  subject: string | null;
  at: number;
  createdAt: number;
}

/**
 * A staff or offline touch enters the ledger: a `delivered` row on channel `staff` per enrollment it counts in, sent and
 * delivered at the time it happened, so stats count it under its kind and attribution credits it like a sent touch.
 * Any number of them per enrollment and kind (the engine's own touches stay one per enrollment and touch).
 */
export async function recordLoggedTouch(db: Db, rows: readonly LoggedDelivery[]): Promise<string[]> {
  const ids = rows.map(() => newId('dl'));
  if (rows.length === 0) return ids;
  await db.insertInto('deliveries').values(rows.map((r, i) => ({
    id: ids[i]!, enrollment_id: r.enrollmentId, funnel_id: r.funnelId, contact_id: r.contactId, touch_id: r.kind,
    channel: STAFF_CHANNEL, planned_channel: STAFF_CHANNEL, status: 'delivered' as const, subject: r.subject, attempts: 1,
    scheduled_at: r.at, created_at: r.createdAt, sent_at: r.at, delivered_at: r.at, logged_touch_id: r.loggedTouchId,
  }))).execute();
  return ids;
}

/**
 * Erasure: the contact's deliveries keep their numbers but lose recipients and subjects, and `mask` rewrites personal
 * data out of their reasons. Answers the ids of the contact's deliveries (their outbox copies and links go next).
 */
export async function anonymiseDeliveries(db: Db, contactId: string, mask: (text: string) => string): Promise<string[]> {
  const rows = await db.selectFrom('deliveries').select(['id', 'reason']).where('contact_id', '=', contactId).execute();
  await db.updateTable('deliveries').set({ recipient: null, subject: null }).where('contact_id', '=', contactId).execute();
  for (const { id, reason } of rows) {
    if (reason === null) continue;
    const masked = mask(reason);
    if (masked !== reason) await db.updateTable('deliveries').set({ reason: masked }).where('id', '=', id).execute();
  }
  return rows.map((r) => r.id);
}

/** Contact merge: the merged-away contact's deliveries become the survivor's, every number and time kept. */
export async function reassignDeliveries(db: Db, fromContactId: string, toContactId: string): Promise<void> {
  await db.updateTable('deliveries').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
}
