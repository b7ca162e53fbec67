import type { Db } from '../db/database';
import type { EnrollmentRow, EventRow } from '../db/schema';
import type { Reentry } from '../dsl/plan';
import { parseJsonObject } from '../db/json';
import { enrollmentWorkflowId } from '../temporal/gateway';

/** Where a new enrollment would go: the entry key it runs under and its Temporal workflow id, or the enrollment that refuses it. */
export type EntryDecision = { admit: true; entryKey: string; workflowId: (enrollmentId: string) => string } | { admit: false; existing: EnrollmentRow };

/** The entry key of an event under a per-key re-entry: the property's value as text, '' when the event has none. */
export function entryKeyOf(reentry: Reentry | undefined, event: Pick<EventRow, 'properties'> | null): string {
  if (typeof reentry !== 'object' || !('key' in reentry) || event === null) return '';
  const value = parseJsonObject(event.properties)[reentry.key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The re-entry rule, its one owner (called when the contact has no active enrollment under this key). Without
 * `reentry`: admitted under today's id `funnel:<funnelId>:<contactId>`. 'never': refused once the contact was ever
 * enrolled. A pause: refused while the last enrollment ended less than `afterMs` ago; a re-entry gets the id
 * `…:<enrollmentId>`. A key: refused when that key was ever enrolled; a new key gets `…:key:<encoded value>`.
 */
export async function decideEntry(db: Db, reentry: Reentry | undefined, funnelId: string, contactId: string, entryKey: string, now: number): Promise<EntryDecision> {
  const base = enrollmentWorkflowId(funnelId, contactId);
  if (reentry === undefined) return { admit: true, entryKey, workflowId: () => base };
  const last = await db.selectFrom('enrollments').selectAll().where('funnel_id', '=', funnelId).where('contact_id', '=', contactId)
    .$if(typeof reentry === 'object' && 'key' in reentry, (q) => q.where('entry_key', '=', entryKey))
    .orderBy('enrolled_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (last === undefined) return { admit: true, entryKey, workflowId: () => keyed(base, entryKey) };
  if (reentry === 'never' || 'key' in reentry) return { admit: false, existing: last };
  const ended = last.finished_at ?? last.converted_at ?? now;
  if (now - ended < reentry.afterMs) return { admit: false, existing: last };
  return { admit: true, entryKey, workflowId: (enrollmentId) => `${base}:${enrollmentId}` };
}

function keyed(base: string, entryKey: string): string {
  return entryKey === '' ? base : `${base}:key:${encodeURIComponent(entryKey)}`;
}

/**
 * Whether an event belongs to this enrollment under a per-key re-entry: an event carrying the key property counts for
 * the enrollment of that key only (an order credits its own post-purchase chain); one without it, and every event of
 * other funnels, counts for all.
 */
export function keyMatches(reentry: Reentry | undefined, enrollment: Pick<EnrollmentRow, 'entry_key'>, event: Pick<EventRow, 'properties'>): boolean {
  const key = entryKeyOf(reentry, event);
  return key === '' || key === enrollment.entry_key;
}
