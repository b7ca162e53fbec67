import { createEvent, type DurationObject, type EventAttributes } from 'ics';
import type { WebinarRow, WebinarSessionRow } from '../db/schema';

/** Extras of a calendar file: the organizer, the event's URL (the join or registration link). */
export interface IcsOptions {
  organizer?: { name?: string; email?: string } | undefined;
  url: string;
}

/** An .ics attachment as the email channel takes it. */
export interface IcsAttachment {
  filename: string;
  content: string;
  contentType: 'text/calendar; charset=utf-8; method=PUBLISH';
}

/** The calendar UID of a contact's session: the same for every invite and reminder, so calendars update one event. */
export function webinarUid(webinarId: string, contactId: string): string {
  return `${webinarId}.${contactId}@autofunnel`;
}

/**
 * An iCalendar file (METHOD:PUBLISH) for the contact's session: UID stable per (webinar, contact), DTSTART in UTC, the
 * duration, title, URL, the join link as location and description, a display alarm one hour before. SEQUENCE grows
 * with the webinar's updates, so a calendar that imported an earlier file takes a moved start.
 */
export function webinarIcs(webinar: WebinarRow, session: WebinarSessionRow, opts: IcsOptions): string {
  const event: EventAttributes = {
    uid: webinarUid(webinar.id, session.contact_id),
    productId: 'autofunnel',
    method: 'PUBLISH',
    start: session.starts_at, startInputType: 'utc', startOutputType: 'utc',
    duration: durationOf(webinar.duration_ms),
    title: webinar.title,
    description: webinar.join_url,
    location: webinar.join_url,
    url: opts.url,
    status: 'CONFIRMED',
    sequence: Math.floor(webinar.updated_at / 60_000),
    alarms: [{ action: 'display', description: webinar.title, trigger: { hours: 1, before: true } }],
    ...(opts.organizer && (opts.organizer.email || opts.organizer.name) && { organizer: opts.organizer }),
  };
  let { error, value } = createEvent(event);
  // A link the library finds malformed (an odd PUBLIC_URL) must not cost the contact the calendar file: leave it out.
  if (error) ({ error, value } = createEvent({ ...event, url: undefined, organizer: undefined }));
  if (error || !value) throw new Error(`webinar ${webinar.id}: cannot build the calendar file: ${error?.message ?? 'empty'}`, { cause: error });
  return value;
}

/** The session's .ics as an email attachment (`<webinarId>.ics`). */
export function icsAttachment(webinar: WebinarRow, session: WebinarSessionRow, opts: IcsOptions): IcsAttachment {
  return { filename: `${webinar.id}.ics`, content: webinarIcs(webinar, session, opts), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' };
}

function durationOf(ms: number): DurationObject {
  const seconds = Math.max(60, Math.round(ms / 1000));
  const out: DurationObject = { hours: Math.floor(seconds / 3600) };
  if (seconds % 3600 >= 60) out.minutes = Math.floor((seconds % 3600) / 60);
  if (seconds % 60) out.seconds = seconds % 60;
  return out;
}
