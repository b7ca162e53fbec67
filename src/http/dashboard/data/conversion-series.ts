import type { Db } from '../../../db/database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Above this many days the series is by week (Monday first), so the bars stay readable. */
const MAX_DAYS = 92;

/** One bar of the conversions chart: a local day or week (`YYYY-MM-DD` of its first day), its conversions and revenue. */
export interface SeriesPoint {
  date: string;
  converted: number;
  revenue: number;
}

/** Conversions over time, by day or by week. */
export interface ConversionSeries {
  unit: 'day' | 'week';
  points: SeriesPoint[];
}

const dayFormat = new Map<string, Intl.DateTimeFormat>();
/** The calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  let f = dayFormat.get(zone);
  if (!f) dayFormat.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(ms);
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
/** The Monday of the date's week. */
const weekOf = (date: string) => dateOf(dayNumber(date) - ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/**
 * The funnel's conversions and first-conversion revenue per day of the funnel's zone over [from, to) — by week past
 * 92 days — from the hourly rollup (exact for every whole-hour zone, which all of Russia's are), gaps filled with zeros.
 * Without a period it spans the first to the last hour that has a conversion.
 */
export async function conversionSeries(db: Db, funnelId: string, zone: string, period: { from?: number | undefined; to?: number | undefined }): Promise<ConversionSeries> {
  let q = db.selectFrom('rollup_funnel_hours').select(['hour', 'converted', 'revenue']).where('funnel_id', '=', funnelId).where('converted', '>', 0);
  if (period.from !== undefined) q = q.where('hour', '>=', Math.floor(period.from / HOUR));
  if (period.to !== undefined) q = q.where('hour', '<', Math.ceil(period.to / HOUR));
  const rows = await q.orderBy('hour').execute();
  const firstMs = period.from ?? (rows.length > 0 ? Number(rows[0]!.hour) * HOUR : undefined);
  const lastMs = period.to !== undefined ? period.to - 1 : rows.length > 0 ? Number(rows[rows.length - 1]!.hour) * HOUR : undefined;
  if (firstMs === undefined || lastMs === undefined) return { unit: 'day', points: [] };
  const first = localDate(firstMs, zone);
  const last = localDate(Math.max(firstMs, lastMs), zone);
  const unit = dayNumber(last) - dayNumber(first) + 1 > MAX_DAYS ? 'week' : 'day';
  const bucket = (date: string) => (unit === 'week' ? weekOf(date) : date);
  const points = new Map<string, SeriesPoint>();
  for (let d = dayNumber(bucket(first)); d <= dayNumber(last); d += unit === 'week' ? 7 : 1) points.set(dateOf(d), { date: dateOf(d), converted: 0, revenue: 0 });
  for (const r of rows) {
    const p = points.get(bucket(localDate(Number(r.hour) * HOUR, zone)));
    if (!p) continue;
    p.converted += Number(r.converted);
    p.revenue = Math.round((p.revenue + Number(r.revenue)) * 100) / 100;
  }
  return { unit, points: [...points.values()] };
}
