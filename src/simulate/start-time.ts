import { localParts, localToInstant } from '../time/local-time';
import { SimulationInputError } from '../errors';

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The default virtual enrollment moment: the next Monday at 10:00 in the zone, strictly after `now`. */
export function nextMondayTen(now: number, zone: string): number {
  const p = localParts(now, zone);
  for (let d = 0; d <= 14; d++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day) + d * DAY);
    if (day.getUTCDay() !== 1) continue;
    const at = localToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 10, 0, zone);
    if (at > now) return at;
  }
  throw new Error('no Monday within two weeks');
}

/** `--start`: an ISO 8601 date-time with an offset (or Z), in the future. */
export function parseStart(text: string, now: number): number {
  const ms = ISO.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new SimulationInputError(`--start ${text}: not an ISO 8601 date-time with an offset, e.g. 2027-03-01T10:00:00+03:00`);
  if (ms <= now) throw new SimulationInputError(`--start ${text}: the start must be in the future (now is ${new Date(now).toISOString()})`);
  return ms;
}
