import { localParts, localToInstant, nextLocalTime } from '../time/local-time';
import { contactTimeZone } from '../time/zones';
import type { WebinarSchedule } from './webinar-rows';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The zone a contact's sessions and invites use: the contact's own when valid, else the funnel's, else UTC. */
export function sessionZone(contactTimezone: string | null | undefined, fallbackTimezone: string | null | undefined): string {
  return contactTimeZone(contactTimezone, contactTimeZone(fallbackTimezone, 'UTC'));
}

/**
 * The first slot of an auto-webinar's schedule (any of its local times, on its weekdays, in `zone`) at or after
 * `earliest`. Slots are whole minutes, so the answer is an exact slot start, never `earliest` itself mid-minute.
 */
export function nextSlot(schedule: WebinarSchedule, earliest: number, zone: string): number {
  const from = Math.ceil(earliest / MINUTE) * MINUTE;
  let best = Number.POSITIVE_INFINITY;
  for (const time of schedule.times) best = Math.min(best, nextLocalTime(from, zone, time, schedule.weekdays));
  return best;
}

/** The latest slot of the schedule at or before `at` in `zone` (looking back up to 8 days), or null when there is none. */
export function previousSlot(schedule: WebinarSchedule, at: number, zone: string): number | null {
  const today = localParts(at, zone);
  let best: number | null = null;
  for (let d = 0; d <= 8 && best === null; d++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day) - d * DAY);
    const weekday = ((date.getUTCDay() + 6) % 7) + 1;
    if (schedule.weekdays && !schedule.weekdays.includes(weekday)) continue;
    for (const time of schedule.times) {
      const [hh, mm] = time.split(':').map(Number) as [number, number];
      const instant = localToInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hh, mm, zone);
      if (instant <= at && (best === null || instant > best)) best = instant;
    }
  }
  return best;
}
