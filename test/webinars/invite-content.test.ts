import { describe, expect, it } from 'vitest';
import type { WebinarRow, WebinarSessionRow } from '../../src/db/schema';
import { icsAttachment, webinarIcs } from '../../src/webinars/ics';
import { googleCalendarUrl, webinarTemplateVars } from '../../src/webinars/template-vars';
import { verifyToken } from '../../src/security/signed-token';

const webinar: WebinarRow = {
  id: 'python-live', funnel_id: 'school', title: 'Python с нуля: первый урок, вопросы; ответы', starts_at: Date.parse('2025-12-03T16:00:00Z'),
  duration_ms: 90 * 60_000, join_url: 'https://meet.example.test/python?room=1&x=2', replay_url: null, schedule: null, min_lead_ms: 0,
  moved_at: null, updated_at: Date.parse('2025-11-01T00:00:00Z'),
};
const session: WebinarSessionRow = {
  id: 'ws_1', webinar_id: 'python-live', contact_id: 'ct_anna', starts_at: Date.parse('2025-12-03T16:00:00Z'),
  registered_at: null, outcome: null, minutes: null, stayed_to_offer: null, created_at: 0,
};

/** The unfolded content lines of an iCalendar text, as `NAME[;params]` → value. */
function icsLines(text: string): Array<[string, string]> {
  return text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1)];
  });
}
const value = (lines: Array<[string, string]>, name: string) => lines.filter(([k]) => k.split(';')[0] === name).map(([, v]) => v);

describe('webinars/invite content', () => {
  it('renders the local date, time and weekday in the contact\'s zone and language', () => {
    const opts = { publicUrl: 'https://funnels.example.test/', secretKey: 'k'.repeat(32), contactId: 'ct_anna' };
    const vvo = webinarTemplateVars(webinar, session, { ...opts, timezone: 'Asia/Vladivostok', locale: 'ru' });
    expect(vvo).toMatchObject({ title: webinar.title, startsAt: '2025-12-03T16:00:00.000Z', date: '4 декабря', time: '02:00', weekday: 'четверг', timezone: 'Asia/Vladivostok', replayUrl: null });
    const msk = webinarTemplateVars(webinar, session, { ...opts, timezone: 'Europe/Moscow', locale: null });
    expect(msk).toMatchObject({ date: '3 декабря', time: '19:00', weekday: 'среда' });
    const en = webinarTemplateVars(webinar, session, { ...opts, timezone: 'Europe/Moscow', locale: 'en' });
    expect(en).toMatchObject({ date: 'December 3', time: '19:00', weekday: 'Wednesday' });
  });

  it('links to a registration page whose token carries the contact, and to the .ics and Google Calendar', () => {
    const secretKey = 's'.repeat(32);
    const vars = webinarTemplateVars(webinar, session, { timezone: 'Europe/Moscow', locale: 'ru', publicUrl: 'https://funnels.example.test', secretKey, contactId: 'ct_anna' });
    const register = new URL(vars.registerUrl);
    expect(register.origin + register.pathname).toBe('https://funnels.example.test/w/python-live/register');
    expect(verifyToken(secretKey, 'webinar-register', register.searchParams.get('t'))).toBe('ct_anna');
    expect(vars.calendar.ics).toBe(`https://funnels.example.test/w/python-live/calendar.ics?t=${register.searchParams.get('t')}`);
    const google = new URL(vars.calendar.google);
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(google.searchParams)).toEqual({
      action: 'TEMPLATE', text: webinar.title, dates: '20251203T160000Z/20251203T173000Z', details: webinar.join_url, location: webinar.join_url,
    });
    expect(googleCalendarUrl(webinar, session.starts_at)).toBe(vars.calendar.google);
  });

  it('builds an .ics with a stable UID, DTSTART in UTC, the duration, title, URL and a 1-hour alarm', () => {
    const text = webinarIcs(webinar, session, { url: 'https://funnels.example.test/w/python-live', organizer: { name: 'Школа', email: 'school@example.test' } });
    const lines = icsLines(text);
    expect(value(lines, 'BEGIN')).toEqual(['VCALENDAR', 'VEVENT', 'VALARM']);
    expect(value(lines, 'METHOD')).toEqual(['PUBLISH']);
    expect(value(lines, 'UID')).toEqual(['python-live.ct_anna@autofunnel']);
    expect(value(lines, 'DTSTART')).toEqual(['20251203T160000Z']);
    expect(value(lines, 'DURATION')).toEqual(['PT1H30M']);
    expect(value(lines, 'SUMMARY')).toEqual(['Python с нуля: первый урок\\, вопросы\\; ответы']);
    expect(value(lines, 'URL')).toEqual(['https://funnels.example.test/w/python-live']);
    expect(value(lines, 'TRIGGER')).toEqual(['-PT1H']);
    expect(value(lines, 'ORGANIZER')[0]).toMatch(/mailto:school@example\.test/i);
    // Another contact, same webinar: another UID; the same contact again: the same UID.
    expect(value(icsLines(webinarIcs(webinar, { ...session, contact_id: 'ct_boris' }, { url: 'https://x.example.test/' })), 'UID')).toEqual(['python-live.ct_boris@autofunnel']);
    expect(value(icsLines(webinarIcs(webinar, session, { url: 'https://x.example.test/' })), 'UID')).toEqual(['python-live.ct_anna@autofunnel']);
  });

  it('raises SEQUENCE when the webinar is updated, so calendars take the new start', () => {
    const seq = (w: WebinarRow) => Number(value(icsLines(webinarIcs(w, session, { url: 'https://x.example.test/' })), 'SEQUENCE')[0]);
    expect(seq({ ...webinar, updated_at: webinar.updated_at + 3_600_000 })).toBeGreaterThan(seq(webinar));
  });

  it('leaves out a link the calendar library refuses instead of failing', () => {
    const lines = icsLines(webinarIcs(webinar, session, { url: 'not a url' }));
    expect(value(lines, 'URL')).toEqual([]);
    expect(value(lines, 'DTSTART')).toEqual(['20251203T160000Z']);
  });

  it('wraps the .ics as an email attachment', () => {
    const a = icsAttachment(webinar, session, { url: webinar.join_url });
    expect(a).toEqual({ filename: 'python-live.ics', content: expect.stringContaining('DTSTART:20251203T160000Z'), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' });
  });
});
