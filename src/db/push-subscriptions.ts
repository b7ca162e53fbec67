import type { Db } from './database';
import type { PushSubscriptionsTable } from './schema-push';
import { newId } from './ids';

/** A stored browser subscription. */
export type PushSubscriptionRow = PushSubscriptionsTable;

/** What a browser's `PushSubscription.toJSON()` gives, plus where and for whom it was given. */
export interface NewPushSubscription {
  contactId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  funnelId?: string | null | undefined;
  pageId?: string | null | undefined;
  userAgent?: string | null | undefined;
  at: number;
}

/**
 * Stores a subscription once per endpoint: a browser that subscribes again (new keys, or on another contact's page)
 * updates its row and keeps its id. Returns the row's id and whether it was new.
 */
export async function savePushSubscription(db: Db, s: NewPushSubscription): Promise<{ id: string; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const fields = {
      contact_id: s.contactId, p256dh: s.p256dh, auth: s.auth, funnel_id: s.funnelId ?? null, page_id: s.pageId ?? null,
      user_agent: s.userAgent ?? null, created_at: s.at,
    };
    const found = await trx.selectFrom('push_subscriptions').select('id').where('endpoint', '=', s.endpoint).executeTakeFirst();
    if (found) {
      await trx.updateTable('push_subscriptions').set(fields).where('id', '=', found.id).execute();
      return { id: found.id, created: false };
    }
    const id = newId('ps');
    await trx.insertInto('push_subscriptions').values({ id, endpoint: s.endpoint, ...fields })
      .onConflict((oc) => oc.column('endpoint').doUpdateSet(fields)).execute();
    const row = await trx.selectFrom('push_subscriptions').select('id').where('endpoint', '=', s.endpoint).executeTakeFirstOrThrow();
    return { id: row.id, created: row.id === id };
  });
}

/** The contact's newest subscription (the browser it subscribed on last), or undefined. */
export async function latestPushSubscription(db: Db, contactId: string): Promise<PushSubscriptionRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('contact_id', '=', contactId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** One subscription by id. */
export async function findPushSubscription(db: Db, id: string): Promise<PushSubscriptionRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Forgets a subscription the push service no longer knows (404/410) or the browser withdrew; true when one was removed. */
export async function removePushSubscription(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('push_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Forgets every subscription of a contact (erasure). */
export async function removeContactPushSubscriptions(db: Db, contactId: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('contact_id', '=', contactId).execute();
}

/** Moves a merged-away contact's subscriptions to the survivor. */
export async function reassignPushSubscriptions(db: Db, fromContactId: string, toContactId: string): Promise<void> {
  await db.updateTable('push_subscriptions').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
}
