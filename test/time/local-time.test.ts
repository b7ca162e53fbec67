import { describe, expect, it } from 'vitest';
import { localParts, nextLocalTime } from '../../src/time/local-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('nextLocalTime', () => {
  it('finds 10:00 tomorrow in Moscow when it is 22:00 today', () => {
    expect(iso(nextLocalTime(Date.parse('2026-01-05T19:00:00Z'), 'Europe/Moscow', '10:00'))).toBe('2026-01-06T07:00:00.000Z');
  });

  it('uses the contact zone: 10:00 in Kaliningrad (UTC+2) and in Kamchatka (UTC+12)', () => {
    const now = Date.parse('2026-01-05T12:00:00Z');
    expect(iso(nextLocalTime(now, 'Europe/Kaliningrad', '10:00'))).toBe('2026-01-06T08:00:00.000Z');
    expect(iso(nextLocalTime(now, 'Asia/Kamchatka', '10:00'))).toBe('2026-01-05T22:00:00.000Z'); // it is already 00:00 on the 6th there
    expect(iso(nextLocalTime(now, 'Asia/Vladivostok', '10:00'))).toBe('2026-01-06T00:00:00.000Z');
  });

  it('counts the current minute as now', () => {
    const now = Date.parse('2026-01-05T07:00:30Z');
    expect(nextLocalTime(now, 'Europe/Moscow', '10:00')).toBe(now);
  });

  it('waits for the next matching weekday (1 = Monday)', () => {
    const monday = Date.parse('2026-01-05T08:00:00Z');
    expect(iso(nextLocalTime(monday, 'Europe/Moscow', '09:00', [1]))).toBe('2026-01-12T06:00:00.000Z');
    expect(iso(nextLocalTime(monday, 'Europe/Moscow', '12:00', [1, 3]))).toBe('2026-01-05T09:00:00.000Z');
    expect(iso(nextLocalTime(monday, 'Europe/Moscow', undefined, [3]))).toBe('2026-01-06T21:00:00.000Z');
  });

  it('handles a zone with daylight saving (Berlin, spring forward)', () => {
    const now = Date.parse('2026-03-28T12:00:00Z');
    expect(iso(nextLocalTime(now, 'Europe/Berlin', '10:00'))).toBe('2026-03-29T08:00:00.000Z');
  });

  it('reports local parts with Monday = 1', () => {
    expect(localParts(Date.parse('2026-01-04T21:30:00Z'), 'Europe/Moscow')).toMatchObject({ day: 5, hour: 0, minute: 30, weekday: 1 });
  });
});
