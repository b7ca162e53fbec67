import type { WebinarRow, WebinarSessionRow } from '../db/schema';
import { signToken } from '../security/signed-token';

/** Everything an invite or reminder template can say about the contact's webinar session. */
export interface WebinarTemplateVars {
  title: string;
  /** The session start, ISO 8601 UTC. */
  startsAt: string;
  /** Local date, e.g. «3 декабря» (ru) or "December 3" (en). */
  date: string;
  /** Local time, 24-hour, e.g. «19:00». */
  time: string;
  /** Local weekday, e.g. «среда». */
  weekday: string;
  /** The IANA zone the local parts are in. */
  timezone: string;
  joinUrl: string;
  replayUrl: string | null;
  /** The contact's signed registration link. */
  registerUrl: string;
  calendar: { google: string; ics: string };
}

/** Who the variables are for and where links point. */
export interface WebinarVarsOptions {
  timezone: string;
  locale: string | null | undefined;
  publicUrl: string;
  secretKey: string;
  contactId: string;
}

/** The token of a contact's registration and calendar links (the same token serves both). */
export function webinarContactToken(secretKey: string, contactId: string): string {
  return signToken(secretKey, 'webinar-register', contactId);
}

/** The contact's registration link: `<publicUrl>/w/<webinarId>/register?t=<token>`. */
export function webinarRegisterUrl(publicUrl: string, secretKey: string, webinarId: string, contactId: string): string {
  return `${trimSlash(publicUrl)}/w/${encodeURIComponent(webinarId)}/register?t=${webinarContactToken(secretKey, contactId)}`;
}

/** The contact's .ics link: `<publicUrl>/w/<webinarId>/calendar.ics?t=<token>`. */
export function webinarIcsUrl(publicUrl: string, secretKey: string, webinarId: string, contactId: string): string {
  return `${trimSlash(publicUrl)}/w/${encodeURIComponent(webinarId)}/calendar.ics?t=${webinarContactToken(secretKey, contactId)}`;
}

/** The start of the contact's session, else the webinar's fixed start; throws when there is neither. */
export function sessionStart(webinar: WebinarRow, session: Pick<WebinarSessionRow, 'starts_at'> | null | undefined): number {
  const start = session?.starts_at ?? webinar.starts_at;
  if (start === null) throw new Error(`webinar ${webinar.id}: an auto-webinar needs the contact's session`);
  return start;
}

/** The variables of one contact's webinar session, with dates and times in the contact's zone and language. */
export function webinarTemplateVars(webinar: WebinarRow, session: WebinarSessionRow | null, opts: WebinarVarsOptions): WebinarTemplateVars {
  const start = sessionStart(webinar, session);
  const local = localDateParts(start, opts.timezone, opts.locale);
  return {
    title: webinar.title,
    startsAt: new Date(start).toISOString(),
    ...local,
    timezone: opts.timezone,
    joinUrl: webinar.join_url,
    replayUrl: webinar.replay_url,
    registerUrl: webinarRegisterUrl(opts.publicUrl, opts.secretKey, webinar.id, opts.contactId),
    calendar: {
      google: googleCalendarUrl(webinar, start),
      ics: webinarIcsUrl(opts.publicUrl, opts.secretKey, webinar.id, opts.contactId),
    },
  };
}

/** Date («3 декабря»), time («19:00») and weekday («среда») of an instant in a zone; an unknown locale reads as Russian. */
export function localDateParts(ms: number, timezone: string, locale: string | null | undefined): { date: string; time: string; weekday: string } {
  const lang = supportedLocale(locale);
  const at = new Date(ms);
  return {
    date: new Intl.DateTimeFormat(lang, { timeZone: timezone, day: 'numeric', month: 'long' }).format(at),
    time: new Intl.DateTimeFormat(lang, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at),
    weekday: new Intl.DateTimeFormat(lang, { timeZone: timezone, weekday: 'long' }).format(at),
  };
}

function supportedLocale(locale: string | null | undefined): string {
  if (!locale) return 'ru';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'ru';
  } catch {
    return 'ru';
  }
}

/** A Google Calendar "add event" link for a session: title, UTC start/end, the join link as details and location. */
export function googleCalendarUrl(webinar: Pick<WebinarRow, 'title' | 'duration_ms' | 'join_url'>, start: number): string {
  const dates = `${utcStamp(start)}/${utcStamp(start + webinar.duration_ms)}`;
  const q = (k: string, v: string) => `${k}=${encodeURIComponent(v)}`;
  return `https://calendar.google.com/calendar/render?action=TEMPLATE&${q('text', webinar.title)}&dates=${dates}&${q('details', webinar.join_url)}&${q('location', webinar.join_url)}`;
}

/** An instant as `YYYYMMDDTHHMMSSZ`. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
