import type { Db } from '../../../db/database';
import { readOutbox, type OutboxMessage } from '../../../channels/outbox-read';

/** One stored message as the outbox page shows it: with the zone its time is shown in. */
export interface OutboxEntry extends OutboxMessage {
  /** The contact's zone, else the funnel's, else UTC. */
  zone: string;
}

/** The newest outbox messages (at most `limit`), of one channel when given, times in the recipient's zone. */
export async function latestOutbox(db: Db, funnelZone: (funnelId: string) => string | undefined, limit = 100, channel?: string): Promise<OutboxEntry[]> {
  const messages = await readOutbox(db, { limit, channel });
  return messages.map((m) => ({ ...m, zone: m.contactTimezone ?? (m.funnelId ? funnelZone(m.funnelId) : undefined) ?? 'UTC' }));
}

/** One message's HTML body, or undefined when there is no such message or it has no HTML. */
export async function outboxHtml(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('outbox').select(['html', 'channel']).where('id', '=', id).executeTakeFirst();
  return row?.channel === 'email' && row.html !== null ? row.html : undefined;
}

/** The channels that have at least one outbox message, alphabetically. */
export async function outboxChannelsUsed(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('outbox').select('channel').distinct().orderBy('channel').execute();
  return rows.map((r) => r.channel);
}
