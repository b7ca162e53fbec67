import type { Db } from '../db/database';
import { isTimeZone } from '../time/zones';
import { parseTestDeliveryId } from '../samples/test-delivery-id';

/** One message the dev outbox holds (the table is written by outbox.ts), with whom and what it was for. */
export interface OutboxMessage {
  id: string;
  /** When it was stored (epoch ms). */
  createdAt: number;
  channel: string;
  /** The address it went to, and the contact's name when it belongs to one. */
  recipient: string;
  recipientName: string | null;
  contactId: string | null;
  funnelId: string | null;
  touchId: string | null;
  /** A test send (POST …/touches/:touchId/test): in no ledger and no stats. */
  test: boolean;
  subject: string | null;
  text: string | null;
  html: string | null;
  /** The contact's zone when it has a valid one, else null (the reader decides the fallback). */
  contactTimezone: string | null;
}

/** Which messages to read: of one funnel, of one contact, at most `limit` (newest first), of one channel. */
export interface OutboxQuery {
  funnelId?: string | undefined;
  contactId?: string | undefined;
  channel?: string | undefined;
  limit?: number | undefined;
}

/**
 * The newest dev-outbox messages (at most `limit`, default 100), newest first, each with its touch, funnel and
 * contact (name and zone) when a ledger row owns it; test sends read their funnel and touch from their delivery id.
 */
export async function readOutbox(db: Db, query: OutboxQuery = {}): Promise<OutboxMessage[]> {
  let q = db.selectFrom('outbox')
    .leftJoin('deliveries', 'deliveries.id', 'outbox.delivery_id')
    .leftJoin('contacts', 'contacts.id', 'deliveries.contact_id')
    .select([
      'outbox.id', 'outbox.created_at', 'outbox.channel', 'outbox.recipient', 'outbox.subject', 'outbox.text', 'outbox.html', 'outbox.delivery_id',
      'deliveries.touch_id', 'deliveries.funnel_id', 'deliveries.contact_id', 'contacts.name', 'contacts.timezone',
    ]);
  if (query.channel) q = q.where('outbox.channel', '=', query.channel);
  if (query.contactId) q = q.where('deliveries.contact_id', '=', query.contactId);
  if (query.funnelId) {
    const id = query.funnelId;
    // Funnel ids are lowercase letters, digits and '-': nothing LIKE would read as a wildcard (callers check the format).
    q = q.where((eb) => eb.or([eb('deliveries.funnel_id', '=', id), eb('outbox.delivery_id', 'like', `test:${id}:%`)]));
  }
  const rows = await q.orderBy('outbox.created_at', 'desc').orderBy('outbox.id', 'desc').limit(query.limit ?? 100).execute();
  return rows.map((r) => {
    const test = r.touch_id === null ? parseTestDeliveryId(r.delivery_id) : null;
    return {
      id: r.id, createdAt: Number(r.created_at), channel: r.channel, recipient: r.recipient, recipientName: r.name ?? null,
      contactId: r.contact_id ?? null, funnelId: r.funnel_id ?? test?.funnelId ?? null, touchId: r.touch_id ?? test?.touchId ?? null,
      test: test !== null, subject: r.subject, text: r.text, html: r.html,
      contactTimezone: r.timezone && isTimeZone(r.timezone) ? r.timezone : null,
    };
  });
}
