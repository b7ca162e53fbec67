import { localParts, localToInstant } from './local-time';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant a stored date means for a contact in `zone`, or null when it is no date: an ISO 8601 date-time with an
 * offset (or Z) as written; a date ('2026-12-10') or a local date-time without one ('2026-12-10 15:00') on the zone's
 * clock; a number as epoch milliseconds.
 */
export function instantOf(value: unknown, zone: string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (WITH_OFFSET.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  const m = LOCAL.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1) return null; // 2026-02-30
  return localToInstant(y, mo, d, h, mi, zone);
}

/**
 * The moment a date wait waits for: the date plus `offsetMs`, and with `time` (HH:MM) that local time of the day it
 * falls on in `zone` ("the day before at 10:00"); null when the value is no date.
 */
export function dateMoment(value: unknown, zone: string, offsetMs: number, time?: string): number | null {
  const at = instantOf(value, zone);
  if (at === null) return null;
  const moved = at + offsetMs;
  if (time === undefined) return moved;
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const day = localParts(moved, zone);
  return localToInstant(day.year, day.month, day.day, hh, mm, zone);
}
