import { DAY_MS, HOUR_MS, LAG_BUCKETS_PER_DOUBLING } from './rollup-sql';

/** The end of time as a period bound: a whole number of days, so an open period has no ragged edge. */
export const FAR_FUTURE = 8.64e15;

/** A period [from, to) in epoch ms. */
export type Span = readonly [from: number, to: number];

/**
 * Splits [from, to) into the whole buckets of `unit` ms it covers (answered from rollups, as bucket indexes
 * [first, last)) and the ragged edges before and after them (answered from the raw tables).
 */
export function splitPeriod(from: number, to: number, unit: number): { whole: Span | null; edges: Span[] } {
  const first = Math.ceil(from / unit);
  const last = Math.floor(to / unit);
  if (first >= last) return { whole: null, edges: from < to ? [[from, to]] : [] };
  const edges: Span[] = [];
  if (from < first * unit) edges.push([from, first * unit]);
  if (last * unit < to) edges.push([last * unit, to]);
  return { whole: [first, last], edges };
}

/** One piece of a period: whole days or whole hours (bucket indexes, read from rollups) or a ragged end in ms (raw tables). */
export type PeriodPiece = { grain: 'day' | 'hour'; span: Span } | { grain: 'raw'; span: Span };

/**
 * Cuts [from, to) into at most one run of whole UTC days, whole hours at each end of it, and at most two ragged
 * ends shorter than an hour: so any period costs a few hundred rollup rows plus two short index range scans.
 */
export function periodPieces(from: number, to: number): PeriodPiece[] {
  const days = splitPeriod(from, to, DAY_MS);
  const pieces: PeriodPiece[] = days.whole ? [{ grain: 'day', span: days.whole }] : [];
  for (const [a, b] of days.edges) {
    const hours = splitPeriod(a, b, HOUR_MS);
    if (hours.whole) pieces.push({ grain: 'hour', span: hours.whole });
    for (const span of hours.edges) pieces.push({ grain: 'raw', span });
  }
  return pieces;
}

/** The lag range [lo, hi) in ms a time-to-conversion histogram bucket covers (see lagBucketSql). */
export function lagBucketRange(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1000];
  return [1000 * 2 ** ((bucket - 1) / LAG_BUCKETS_PER_DOUBLING), 1000 * 2 ** (bucket / LAG_BUCKETS_PER_DOUBLING)];
}

/**
 * The (lower) median of a histogram (bucket → count): the value of rank ⌊(n − 1) / 2⌋, interpolated geometrically
 * inside the bucket that holds it, so it is within one bucket width (≈ 9%) of the exact value; null when empty.
 */
export function histogramMedian(histogram: ReadonlyMap<number, number>): number | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.floor((total - 1) / 2);
  let before = 0;
  for (const [bucket, n] of buckets) {
    if (rank < before + n) {
      const f = (rank - before + 0.5) / n;
      const [lo, hi] = lagBucketRange(bucket);
      return Math.round(bucket <= 0 ? lo + (hi - lo) * f : lo * (hi / lo) ** f);
    }
    before += n;
  }
  return null; // unreachable: rank < total
}
