import { localToInstant } from '../../time/local-time';

/** The date range as typed (YYYY-MM-DD or empty) and whether any part of it was rejected. */
export interface RangeInput {
  from: string;
  to: string;
  invalid: boolean;
}

/** A date range as typed and as the instants funnelStats takes ([from, to) in epoch ms). */
export interface DateRange {
  input: RangeInput;
  from: number | undefined;
  to: number | undefined;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight at the start of `date` (+ `plusDays`) in `zone`, or undefined for anything but a real YYYY-MM-DD date. */
function dayStart(date: string, zone: string, plusDays = 0): number | undefined {
  const m = DAY.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return localToInstant(y, mo, d + plusDays, 0, 0, zone);
}

/** Reads `?from&to` (both days inclusive, in the funnel's zone); an invalid bound is dropped and flagged. */
export function parseDateRange(from: string | undefined, to: string | undefined, zone: string): DateRange {
  const fromText = (from ?? '').trim();
  const toText = (to ?? '').trim();
  const fromMs = fromText ? dayStart(fromText, zone) : undefined;
  const toMs = toText ? dayStart(toText, zone, 1) : undefined;
  const invalid = (fromText !== '' && fromMs === undefined) || (toText !== '' && toMs === undefined);
  return {
    input: { from: fromMs === undefined ? '' : fromText, to: toMs === undefined ? '' : toText, invalid },
    from: fromMs,
    to: toMs,
  };
}
