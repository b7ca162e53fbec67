import { localParts, nextLocalTime } from '../time/local-time';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a touch due at `now` may go out under a local send window: `now` itself when inside, else the window's next
 * opening in the zone. A window may wrap midnight (22:00–02:00). Nothing is ever dropped, only deferred.
 */
export function sendWindowOpening(now: number, zone: string, window: { from: string; to: string }): number {
  const p = localParts(now, zone);
  const t = p.hour * 60 + p.minute;
  const from = minutes(window.from);
  const to = minutes(window.to);
  const inside = from < to ? t >= from && t < to : t >= from || t < to;
  return inside ? now : nextLocalTime(now, zone, window.from);
}
