import { describe, expect, it } from 'vitest';
import { sendWindowOpening } from '../../src/policy/send-window';

const at = (iso: string) => Date.parse(iso);
const DAY = { from: '09:00', to: '21:00' };
const NIGHT = { from: '22:00', to: '02:00' };

describe('sendWindowOpening', () => {
  it('lets a touch inside the window go now (the opening minute counts as inside)', () => {
    const noon = at('2026-03-10T12:00:00+03:00');
    expect(sendWindowOpening(noon, 'Europe/Moscow', DAY)).toBe(noon);
    const opening = at('2026-03-10T09:00:00+03:00');
    expect(sendWindowOpening(opening, 'Europe/Moscow', DAY)).toBe(opening);
    const lastMinute = at('2026-03-10T20:59:59+03:00');
    expect(sendWindowOpening(lastMinute, 'Europe/Moscow', DAY)).toBe(lastMinute);
  });

  it("defers a touch before the opening to today's opening", () => {
    expect(sendWindowOpening(at('2026-03-10T07:30:00+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-03-10T06:00:00Z'));
    expect(sendWindowOpening(at('2026-03-10T08:59:30+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-03-10T06:00:00Z'));
    expect(sendWindowOpening(at('2026-03-10T00:00:00+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-03-10T06:00:00Z'));
  });

  it("defers a touch after the closing (the closing minute included) to tomorrow's opening", () => {
    expect(sendWindowOpening(at('2026-03-10T21:00:00+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-03-11T06:00:00Z'));
    expect(sendWindowOpening(at('2026-03-10T23:00:00+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-03-11T06:00:00Z'));
    // Across a month end.
    expect(sendWindowOpening(at('2026-03-31T22:10:00+03:00'), 'Europe/Moscow', DAY)).toBe(at('2026-04-01T06:00:00Z'));
  });

  it('handles a window that wraps midnight (22:00–02:00)', () => {
    for (const inside of ['2026-03-10T22:00:00+03:00', '2026-03-10T23:30:00+03:00', '2026-03-11T00:00:00+03:00', '2026-03-11T01:59:00+03:00']) {
      expect(sendWindowOpening(at(inside), 'Europe/Moscow', NIGHT)).toBe(at(inside));
    }
    // From 02:00 until 22:00 the touch waits for the same evening's opening.
    expect(sendWindowOpening(at('2026-03-11T02:00:00+03:00'), 'Europe/Moscow', NIGHT)).toBe(at('2026-03-11T19:00:00Z'));
    expect(sendWindowOpening(at('2026-03-11T12:00:00+03:00'), 'Europe/Moscow', NIGHT)).toBe(at('2026-03-11T19:00:00Z'));
    expect(sendWindowOpening(at('2026-03-11T21:59:00+03:00'), 'Europe/Moscow', NIGHT)).toBe(at('2026-03-11T19:00:00Z'));
  });

  it('uses the local clock of Asia/Vladivostok (UTC+10)', () => {
    // 09:30 UTC = 19:30 local: inside.
    expect(sendWindowOpening(at('2026-03-10T09:30:00Z'), 'Asia/Vladivostok', DAY)).toBe(at('2026-03-10T09:30:00Z'));
    // 11:30 UTC = 21:30 local: after closing → 09:00 local on the 11th = 23:00 UTC on the 10th.
    expect(sendWindowOpening(at('2026-03-10T11:30:00Z'), 'Asia/Vladivostok', DAY)).toBe(at('2026-03-10T23:00:00Z'));
    // 20:00 UTC on the 10th = 06:00 local on the 11th: before opening → 23:00 UTC the same (UTC) day.
    expect(sendWindowOpening(at('2026-03-10T20:00:00Z'), 'Asia/Vladivostok', DAY)).toBe(at('2026-03-10T23:00:00Z'));
    // Still the 10th in UTC but already the 11th locally: a 22:00–02:00 window opens at 12:00 UTC on the 11th.
    expect(sendWindowOpening(at('2026-03-10T20:00:00Z'), 'Asia/Vladivostok', NIGHT)).toBe(at('2026-03-11T12:00:00Z'));
  });

  it('uses the local clock of Europe/Kaliningrad (UTC+2)', () => {
    expect(sendWindowOpening(at('2026-03-10T05:00:00Z'), 'Europe/Kaliningrad', DAY)).toBe(at('2026-03-10T07:00:00Z'));
    expect(sendWindowOpening(at('2026-03-10T07:00:00Z'), 'Europe/Kaliningrad', DAY)).toBe(at('2026-03-10T07:00:00Z'));
    // 19:00 UTC = 21:00 local: closed → 07:00 UTC next day.
    expect(sendWindowOpening(at('2026-03-10T19:00:00Z'), 'Europe/Kaliningrad', DAY)).toBe(at('2026-03-11T07:00:00Z'));
    // 18:30 UTC is 20:30 in Kaliningrad (inside) but 21:30 in Moscow (closed): the zone decides.
    expect(sendWindowOpening(at('2026-03-10T18:30:00Z'), 'Europe/Kaliningrad', DAY)).toBe(at('2026-03-10T18:30:00Z'));
    expect(sendWindowOpening(at('2026-03-10T18:30:00Z'), 'Europe/Moscow', DAY)).toBe(at('2026-03-11T06:00:00Z'));
  });
});
