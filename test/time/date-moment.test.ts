import { describe, expect, it } from 'vitest';
import { dateMoment, instantOf } from '../../src/time/date-moment';

describe('the moment a stored date means', () => {
  it('reads an offset as written, a local date or date-time on the zone\'s clock, epoch ms; refuses the rest', () => {
    expect(instantOf('2026-12-10T15:00:00+03:00', 'Asia/Kamchatka')).toBe(Date.parse('2026-12-10T12:00:00Z'));
    expect(instantOf('2026-12-10T12:00Z', 'Europe/Moscow')).toBe(Date.parse('2026-12-10T12:00:00Z'));
    expect(instantOf('2026-12-10 15:00', 'Asia/Kamchatka')).toBe(Date.parse('2026-12-10T03:00:00Z'));
    expect(instantOf('2026-12-10', 'Europe/Kaliningrad')).toBe(Date.parse('2026-12-09T22:00:00Z'));
    expect(instantOf(1_765_000_000_000, 'Europe/Moscow')).toBe(1_765_000_000_000);
    for (const bad of ['завтра', '2026-02-30', '2026-13-01', '', null, undefined, true, -5]) expect(instantOf(bad, 'Europe/Moscow')).toBeNull();
  });

  it('adds the offset, then moves to the local time of the day it falls on', () => {
    // 12:00 Moscow on the 10th is 21:00 in Kamchatka; a day before at 10:00 there is the 9th 10:00 +12.
    expect(dateMoment('2026-12-10T12:00:00+03:00', 'Asia/Kamchatka', -86_400_000, '10:00')).toBe(Date.parse('2026-12-08T22:00:00Z'));
    // 15:00 Moscow is 00:00 on the 11th in Kamchatka: the day before at 10:00 is the 10th.
    expect(dateMoment('2026-12-10T15:00:00+03:00', 'Asia/Kamchatka', -86_400_000, '10:00')).toBe(Date.parse('2026-12-09T22:00:00Z'));
    expect(dateMoment('2026-12-10T15:00:00+03:00', 'Europe/Moscow', -3_600_000)).toBe(Date.parse('2026-12-10T11:00:00Z'));
    expect(dateMoment('нет', 'Europe/Moscow', 0)).toBeNull();
  });
});
