import type { Db } from '../../../db/database';

/** One stored message with the ledger row it belongs to. */
export interface OutboxEntry {
  id: string;
  createdAt: number;
  channel: string;
  recipient: string;
  subject: string | null;
  text: string | null;
  html: string | null;
  touchId: string;
  funnelId: string;
  contactId: string;
}

/** The newest outbox messages (at most `limit`), of one channel when given, with their touch, funnel and contact. */
export async function latestOutbox(db: Db, limit = 100, channel?: string): Promise<OutboxEntry[]> {
  let q = db.selectFrom('outbox')
    .innerJoin('deliveries', 'deliveries.id', 'outbox.delivery_id')
    .select([
      'outbox.id', 'outbox.created_at', 'outbox.channel', 'outbox.recipient', 'outbox.subject', 'outbox.text', 'outbox.html',
      'deliveries.touch_id', 'deliveries.funnel_id', 'deliveries.contact_id',
    ]);
  if (channel) q = q.where('outbox.channel', '=', channel);
  const rows = await q.orderBy('outbox.created_at', 'desc').orderBy('outbox.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, createdAt: Number(r.created_at), channel: r.channel, recipient: r.recipient, subject: r.subject,
    text: r.text, html: r.html, touchId: r.touch_id, funnelId: r.funnel_id, contactId: r.contact_id,
  }));
}

/** The channels that have at least one outbox message, alphabetically. */
export async function outboxChannelsUsed(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('outbox').select('channel').distinct().orderBy('channel').execute();
  return rows.map((r) => r.channel);
}
