import type { EngineDeps } from '../engine/deps';
import type { ContactRow, WebinarRow, WebinarSessionRow } from '../db/schema';
import { findContact } from '../db/contacts';
import { ingestEvent } from '../engine/ingest-event';
import type { AttendanceIdentity, AttendanceReport } from './attendance-input';
import { insertSession } from './assign-session';
import { previousSlot, sessionZone } from './session-slots';
import { scheduleOf, sessionFor } from './webinar-rows';

/** What an attendance report did: how many were recorded as attended and missed, who was not found or was in another session. */
export interface AttendanceResult {
  attended: number;
  missed: number;
  /** Records naming no known contact, with the identity they gave. */
  unknown: Array<{ row: number } & AttendanceIdentity>;
  /** With a `sessions` filter: contacts whose session starts at another time; left unchanged. */
  otherSession: Array<{ row: number; contactId: string; sessionStartsAt: string }>;
}

/**
 * Applies a validated report: each known contact's session (created when missing) gets its outcome, minutes and
 * "stayed to the offer", and `webinar.attended` `{webinarId, minutes, stayedToOffer}` or `webinar.missed` `{webinarId}`
 * is stored once per contact (key `webinar-attendance:<webinarId>:<contactId>`; a later report updates the session,
 * not the event). Unknown contacts are listed, not fatal.
 */
export async function recordAttendance(deps: EngineDeps, webinar: WebinarRow, report: AttendanceReport): Promise<AttendanceResult> {
  const result: AttendanceResult = { attended: 0, missed: 0, unknown: [], otherSession: [] };
  const fallbackZone = deps.funnels.get(webinar.funnel_id)?.plan.timezone ?? 'UTC';
  for (const record of report.records) {
    const contact = await findContact(deps.db, record.identity);
    if (!contact) {
      result.unknown.push({ row: record.row, ...record.identity });
      continue;
    }
    let session = await sessionFor(deps.db, webinar.id, contact.id);
    if (session && report.sessions !== undefined && session.starts_at !== report.sessions) {
      result.otherSession.push({ row: record.row, contactId: contact.id, sessionStartsAt: new Date(session.starts_at).toISOString() });
      continue;
    }
    session ??= await insertSession(deps.db, webinar, contact.id, pastSessionStart(webinar, contact, report.sessions, fallbackZone, deps.now()), deps.now());
    const minutes = record.joined && record.minutes !== undefined ? Math.round(record.minutes) : record.joined ? null : 0;
    const stayed = record.joined && record.stayedToOffer !== undefined ? (record.stayedToOffer ? 1 : 0) : record.joined ? null : 0;
    await deps.db.updateTable('webinar_sessions')
      .set({ outcome: record.joined ? 'attended' : 'missed', minutes, stayed_to_offer: stayed })
      .where('id', '=', session.id).execute();
    await ingestEvent(deps, {
      contactId: contact.id,
      name: record.joined ? 'webinar.attended' : 'webinar.missed',
      properties: record.joined
        ? { webinarId: webinar.id, minutes: minutes ?? null, stayedToOffer: stayed === null ? null : stayed === 1 }
        : { webinarId: webinar.id },
      idempotencyKey: `webinar-attendance:${webinar.id}:${contact.id}`,
    });
    if (record.joined) result.attended++;
    else result.missed++;
  }
  return result;
}

/** The session a report speaks of for a contact who had none: the filter's start, the fixed start, or the latest slot before now. */
function pastSessionStart(webinar: WebinarRow, contact: ContactRow, filter: number | undefined, fallbackZone: string, now: number): WebinarSessionRow['starts_at'] {
  if (filter !== undefined) return filter;
  if (webinar.starts_at !== null) return webinar.starts_at;
  const schedule = scheduleOf(webinar);
  return (schedule && previousSlot(schedule, now, sessionZone(contact.timezone, fallbackZone))) ?? now;
}
