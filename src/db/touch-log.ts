import type { Db } from './database';
import type { DeliveryRow, TouchLogKind } from './schema';
import { newId } from './ids';

/** Appends one entry to the touch log: a skip, deferral, fallback, failure or holdout with its reason (shown on the timeline). */
export async function logTouch(db: Db, row: Pick<DeliveryRow, 'id' | 'enrollment_id' | 'funnel_id' | 'contact_id' | 'touch_id'>, entry: {
  kind: TouchLogKind; reason: string; channel?: string | null; until?: number | null; at: number;
}): Promise<void> {
  await db.insertInto('touch_log').values({
    id: newId('tl'), delivery_id: row.id, enrollment_id: row.enrollment_id, funnel_id: row.funnel_id, contact_id: row.contact_id,
    touch_id: row.touch_id, channel: entry.channel ?? null, kind: entry.kind, reason: entry.reason, until: entry.until ?? null, at: entry.at,
  }).execute();
}

/** Erasure: `mask` rewrites personal data out of the reasons of the contact's touch-log entries. */
export async function anonymiseTouchLog(db: Db, contactId: string, mask: (text: string) => string): Promise<void> {
  const rows = await db.selectFrom('touch_log').select(['id', 'reason']).where('contact_id', '=', contactId).execute();
  for (const { id, reason } of rows) {
    const masked = mask(reason);
    if (masked !== reason) await db.updateTable('touch_log').set({ reason: masked }).where('id', '=', id).execute();
  }
}
