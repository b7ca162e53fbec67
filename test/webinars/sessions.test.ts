import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { assignSession, webinarDelay } from '../../src/webinars/assign-session';
import { sessionFor } from '../../src/webinars/webinar-rows';
import { nextSlot, previousSlot } from '../../src/webinars/session-slots';
import { contact, planWith, rows, tempDb } from './fixtures';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('webinars/sessions', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ db, close } = await tempDb());
    const result = await syncWebinars(db, [planWith('school', [
      { id: 'auto', schedule: { times: ['19:00'] }, minLeadMs: 2 * H },
      { id: 'tuethu', schedule: { times: ['19:00', '12:00'], weekdays: [2, 4] } },
      { id: 'fixed', startsAt: '2025-03-05T19:00:00+03:00' },
    ])], at('2025-03-01T00:00:00Z'));
    expect(result).toEqual({ problems: [], changed: [] });
  });
  afterEach(() => close());

  it('gives a Kaliningrad contact the next 19:00 local at least 2 h away', async () => {
    const kld = await contact(db, 'kld@example.test', 'Europe/Kaliningrad');
    // 08:30Z = 10:30 in Kaliningrad (UTC+2): today's 19:00 is far enough.
    const s = await assignSession(db, { webinarId: 'auto', contactId: kld, contactTimezone: 'Europe/Kaliningrad', fallbackTimezone: 'Europe/Moscow', now: at('2025-03-01T08:30:00Z') });
    expect(s.starts_at).toBe(at('2025-03-01T17:00:00Z'));
  });

  it('gives a Vladivostok contact tomorrow\'s 19:00 local when today\'s is less than 2 h away', async () => {
    const vvo = await contact(db, 'vvo@example.test', 'Asia/Vladivostok');
    // 08:30Z = 18:30 in Vladivostok (UTC+10): 19:00 is 30 minutes away, under the 2 h lead.
    const s = await assignSession(db, { webinarId: 'auto', contactId: vvo, contactTimezone: 'Asia/Vladivostok', fallbackTimezone: 'Europe/Moscow', now: at('2025-03-01T08:30:00Z') });
    expect(s.starts_at).toBe(at('2025-03-02T09:00:00Z'));
  });

  it('counts a slot exactly min lead away, not one a millisecond closer', async () => {
    const a = await contact(db, 'a@example.test');
    const b = await contact(db, 'b@example.test');
    const base = { webinarId: 'auto', contactTimezone: 'Europe/Kaliningrad', fallbackTimezone: 'UTC' };
    expect((await assignSession(db, { ...base, contactId: a, now: at('2025-03-01T15:00:00Z') })).starts_at).toBe(at('2025-03-01T17:00:00Z'));
    expect((await assignSession(db, { ...base, contactId: b, now: at('2025-03-01T15:00:00.001Z') })).starts_at).toBe(at('2025-03-02T17:00:00Z'));
  });

  it('falls back to the funnel\'s zone when the contact has none (or an unknown one)', async () => {
    const x = await contact(db, 'x@example.test');
    const y = await contact(db, 'y@example.test');
    const base = { webinarId: 'auto', fallbackTimezone: 'Europe/Moscow', now: at('2025-03-01T08:30:00Z') };
    expect((await assignSession(db, { ...base, contactId: x, contactTimezone: null })).starts_at).toBe(at('2025-03-01T16:00:00Z'));
    expect((await assignSession(db, { ...base, contactId: y, contactTimezone: 'Mars/Olympus' })).starts_at).toBe(at('2025-03-01T16:00:00Z'));
  });

  it('picks the earliest time on the schedule\'s weekdays', async () => {
    const c = await contact(db, 'c@example.test');
    // Saturday 1 March; next Tuesday is 4 March, 12:00 Moscow comes before 19:00.
    const s = await assignSession(db, { webinarId: 'tuethu', contactId: c, contactTimezone: 'Europe/Moscow', fallbackTimezone: 'UTC', now: at('2025-03-01T08:30:00Z') });
    expect(s.starts_at).toBe(at('2025-03-04T09:00:00Z'));
  });

  it('assigns once: a later call returns the same session, whatever the clock says', async () => {
    const c = await contact(db, 'c@example.test', 'Asia/Vladivostok');
    const input = { webinarId: 'auto', contactId: c, contactTimezone: 'Asia/Vladivostok', fallbackTimezone: 'UTC' };
    const first = await assignSession(db, { ...input, now: at('2025-03-01T00:00:00Z') });
    const again = await assignSession(db, { ...input, now: at('2025-03-03T00:00:00Z') });
    const raced = await Promise.all([1, 2, 3].map(() => assignSession(db, { ...input, now: at('2025-03-04T00:00:00Z') })));
    expect(again).toEqual(first);
    expect(raced.map((r) => r.id)).toEqual([first.id, first.id, first.id]);
    expect(await rows(db, 'webinar_sessions')).toBe(1);
    expect(await sessionFor(db, 'auto', c)).toEqual(first);
  });

  it('gives everyone the fixed start of a fixed webinar', async () => {
    const a = await contact(db, 'a@example.test', 'Asia/Vladivostok');
    const s = await assignSession(db, { webinarId: 'fixed', contactId: a, contactTimezone: 'Asia/Vladivostok', fallbackTimezone: 'UTC', now: at('2025-03-01T00:00:00Z') });
    expect(s.starts_at).toBe(at('2025-03-05T16:00:00Z'));
  });

  it('refuses an unknown webinar', async () => {
    const a = await contact(db, 'a@example.test');
    await expect(assignSession(db, { webinarId: 'nope', contactId: a, contactTimezone: null, fallbackTimezone: 'UTC', now: 0 })).rejects.toThrow(/webinar "nope" not found/);
    expect(await rows(db, 'webinar_sessions')).toBe(0);
  });

  describe('webinarDelay', () => {
    it('is the time until start + offset, assigning the session on first ask', async () => {
      const a = await contact(db, 'a@example.test');
      const now = at('2025-03-05T10:00:00Z');
      const base = { webinarId: 'fixed', contactId: a, contactTimezone: null, fallbackTimezone: 'UTC', now };
      expect(await webinarDelay(db, { ...base, offsetMs: -H })).toBe(5 * H); // 16:00Z − 1 h − 10:00Z
      expect(await rows(db, 'webinar_sessions')).toBe(1);
      expect(await webinarDelay(db, { ...base, offsetMs: 0 })).toBe(6 * H);
    });

    it('is ≤ 0 once the moment has passed', async () => {
      const a = await contact(db, 'a@example.test');
      const base = { webinarId: 'fixed', contactId: a, contactTimezone: null, fallbackTimezone: 'UTC', offsetMs: 15 * 60_000 };
      expect(await webinarDelay(db, { ...base, now: at('2025-03-05T16:15:00Z') })).toBe(0);
      expect(await webinarDelay(db, { ...base, now: at('2025-03-05T18:00:00Z') })).toBe(-(H + 45 * 60_000));
    });

    it('follows the contact\'s own auto-webinar session', async () => {
      const v = await contact(db, 'v@example.test', 'Asia/Vladivostok');
      const now = at('2025-03-01T08:30:00Z');
      expect(await webinarDelay(db, { webinarId: 'auto', contactId: v, contactTimezone: 'Asia/Vladivostok', fallbackTimezone: 'UTC', offsetMs: -15 * 60_000, now }))
        .toBe(at('2025-03-02T08:45:00Z') - now);
    });

    it('is null for a webinar no funnel declares, and stores nothing', async () => {
      const a = await contact(db, 'a@example.test');
      expect(await webinarDelay(db, { webinarId: 'gone', contactId: a, contactTimezone: null, fallbackTimezone: 'UTC', offsetMs: 0, now: 0 })).toBeNull();
      expect(await rows(db, 'webinar_sessions')).toBe(0);
    });
  });

  describe('slots', () => {
    it('previousSlot finds the latest slot before a moment, across days and weekdays', () => {
      const schedule = { times: ['12:00', '19:00'], weekdays: [2, 4] };
      expect(previousSlot(schedule, at('2025-03-01T08:30:00Z'), 'Europe/Moscow')).toBe(at('2025-02-27T16:00:00Z'));
      expect(previousSlot(schedule, at('2025-03-04T09:00:00Z'), 'Europe/Moscow')).toBe(at('2025-03-04T09:00:00Z'));
      expect(nextSlot(schedule, at('2025-03-04T09:00:00.500Z'), 'Europe/Moscow')).toBe(at('2025-03-04T16:00:00Z'));
    });
  });
});
