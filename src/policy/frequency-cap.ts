import { sql } from 'kysely';
import type { Db } from '../db/database';
import { REACHED_STATUSES } from '../../workflows/statuses';

/** At most `max` messages per contact in any `windowMs`, across all funnels. */
export interface FrequencyCap {
  max: number;
  windowMs: number;
}

/** Parses `FREQUENCY_CAP` (`3/24h`, `5/7d`); undefined for an empty value. */
export function parseFrequencyCap(text: string | undefined, toMs: (d: string) => number | null): FrequencyCap | undefined {
  if (!text) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(.+)$/.exec(text);
  const windowMs = m ? toMs(m[2]!.trim()) : null;
  if (!m || windowMs === null || Number(m[1]) < 1) throw new Error(`FREQUENCY_CAP must look like 3/24h (messages per window), got ${JSON.stringify(text)}`);
  return { max: Number(m[1]), windowMs };
}

/**
 * When the contact may get another message from a funnel of `priority`: `now` when under the cap, else the moment
 * the oldest counted message leaves the window. Only messages from funnels of the same or higher priority count,
 * so a higher-priority funnel (a purchase receipt, a webinar reminder) is never held back by a lower one's newsletter.
 * Pages and staff or offline touches (a manager's call) are not messages and never count.
 */
export async function capOpening(db: Db, contactId: string, now: number, priority: number, cap: FrequencyCap, excludeDeliveryId: string): Promise<number> {
  const rows = await db.selectFrom('deliveries').select('sent_at')
    .where('contact_id', '=', contactId)
    .where('sent_at', '>', now - cap.windowMs).where('sent_at', '<=', now)
    .where('status', 'in', [...REACHED_STATUSES])
    .where('channel', 'not in', ['page', 'staff'])
    .where('id', '!=', excludeDeliveryId)
    .where(sql<boolean>`coalesce(priority, 0) >= ${priority}`)
    .orderBy('sent_at', 'desc').limit(cap.max).execute();
  if (rows.length < cap.max) return now;
  const oldestCounted = Number(rows[rows.length - 1]!.sent_at);
  return oldestCounted + cap.windowMs;
}
