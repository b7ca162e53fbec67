import type { Db } from '../db/database';
import type { WebinarRow, WebinarSessionRow } from '../db/schema';
import { newId } from '../db/ids';
import { findWebinar, requireWebinar, scheduleOf, sessionFor } from './webinar-rows';
import { nextSlot, sessionZone } from './session-slots';

/** Who gets a session, and the zones and clock that choose an auto-webinar's slot. */
export interface AssignSessionInput {
  webinarId: string;
  contactId: string;
  /** The contact's IANA zone; null (or unknown) falls back to `fallbackTimezone`. */
  contactTimezone: string | null;
  /** The funnel's zone. */
  fallbackTimezone: string;
  now: number;
}

/** The start a new session of this webinar gets: the fixed start, or the next slot at least `min_lead_ms` from now in the contact's zone. */
export function newSessionStart(webinar: WebinarRow, input: Omit<AssignSessionInput, 'webinarId' | 'contactId'>): number {
  const schedule = scheduleOf(webinar);
  if (schedule) return nextSlot(schedule, input.now + webinar.min_lead_ms, sessionZone(input.contactTimezone, input.fallbackTimezone));
  if (webinar.starts_at === null) throw new Error(`webinar ${webinar.id} has neither a start nor a schedule`);
  return webinar.starts_at;
}

/**
 * The contact's session of the webinar, assigned on first call and returned unchanged afterwards (one per
 * webinar and contact, also under concurrent calls). Throws NotFoundError for an unknown webinar.
 */
export async function assignSession(db: Db, input: AssignSessionInput): Promise<WebinarSessionRow> {
  const existing = await sessionFor(db, input.webinarId, input.contactId);
  if (existing) return existing;
  const webinar = await requireWebinar(db, input.webinarId);
  return insertSession(db, webinar, input.contactId, newSessionStart(webinar, input), input.now);
}

/** Inserts a session at `startsAt` unless the contact already has one; returns the one that is stored. */
export async function insertSession(db: Db, webinar: WebinarRow, contactId: string, startsAt: number, now: number): Promise<WebinarSessionRow> {
  await db.insertInto('webinar_sessions').values({
    id: newId('ws'), webinar_id: webinar.id, contact_id: contactId, starts_at: startsAt,
    registered_at: null, outcome: null, minutes: null, stayed_to_offer: null, created_at: now,
  }).onConflict((oc) => oc.columns(['webinar_id', 'contact_id']).doNothing()).execute();
  const row = await sessionFor(db, webinar.id, contactId);
  if (!row) throw new Error(`webinar session of ${contactId} in ${webinar.id} vanished after insert`);
  return row;
}

/** What a webinar wait needs: the webinar, the contact, the offset from the session start (negative = before). */
export interface WebinarDelayInput extends AssignSessionInput {
  offsetMs: number;
}

/**
 * Milliseconds from `now` until the contact's session start plus `offsetMs` (≤ 0 when that moment has passed),
 * assigning the session first when the contact has none. Null when no funnel declares the webinar any more,
 * so the waiting workflow can go on instead of waiting forever.
 */
export async function webinarDelay(db: Db, input: WebinarDelayInput): Promise<number | null> {
  const existing = await sessionFor(db, input.webinarId, input.contactId);
  if (existing) return existing.starts_at + input.offsetMs - input.now;
  const webinar = await findWebinar(db, input.webinarId);
  if (!webinar) return null;
  const session = await insertSession(db, webinar, input.contactId, newSessionStart(webinar, input), input.now);
  return session.starts_at + input.offsetMs - input.now;
}
