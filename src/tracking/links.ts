import type { Db } from '../db/database';
import type { LinkRow } from '../db/schema';
import { newId } from '../db/ids';

/** A tracked link with the ledger row of the message that carried it (null when that delivery is gone). */
export interface TrackedLink {
  link: LinkRow;
  delivery: { id: string; contactId: string; funnelId: string; touchId: string; channel: string } | null;
}

/** The stored link and its delivery, or undefined for an id we never issued. */
export async function findTrackedLink(db: Db, linkId: string): Promise<TrackedLink | undefined> {
  const link = await db.selectFrom('links').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) return undefined;
  const d = await db.selectFrom('deliveries').select(['id', 'contact_id', 'funnel_id', 'touch_id', 'channel'])
    .where('id', '=', link.delivery_id).executeTakeFirst();
  return { link, delivery: d ? { id: d.id, contactId: d.contact_id, funnelId: d.funnel_id, touchId: d.touch_id, channel: d.channel } : null };
}

/**
 * The link id of each URL for one delivery, storing the ones not stored yet. A URL already stored for the delivery
 * keeps its id, so a retried send produces the same message and no duplicate rows.
 */
export async function storeLinks(db: Db, deliveryId: string, urls: readonly string[], now: number): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (urls.length === 0) return ids;
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('links').select(['id', 'url']).where('delivery_id', '=', deliveryId).orderBy('created_at').execute();
    for (const row of existing) if (!ids.has(row.url)) ids.set(row.url, row.id);
    for (const url of urls) {
      if (ids.has(url)) continue;
      const id = newId('lk');
      await trx.insertInto('links').values({ id, delivery_id: deliveryId, url, created_at: now }).execute();
      ids.set(url, id);
    }
    return ids;
  });
}
