import { sql } from 'kysely';
import type { Db } from '../db/database';
import { toMajor } from './minor-units';

const WEEK_MS = 7 * 86_400_000;
/** Monday 1970-01-05 00:00 UTC: weeks start on Mondays, as in Russia. */
const MONDAY_MS = 4 * 86_400_000;
const WEEK = sql.raw(String(WEEK_MS));
const MONDAY = sql.raw(String(MONDAY_MS));

/** One enrollment week: its size and, for each week since enrollment, the cumulative conversions and revenue. */
export interface Cohort {
  /** The Monday (UTC) the cohort's enrollments began in, YYYY-MM-DD. */
  week: string;
  enrolled: number;
  weeks: Array<{ week: number; converted: number; conversionRate: number; orders: number; revenue: number; revenueMinor: number }>;
}

/**
 * The cohort table of a funnel: enrollments that began in [from, to) by UTC week, and for each week since
 * enrollment (0 = the first seven days) how many had converted and what their orders had brought by its end
 * (cumulative, every order in `currency`). Weeks run up to the latest order or conversion of any cohort.
 */
export async function funnelCohorts(db: Db, funnelId: string, from: number, to: number, currency: string): Promise<Cohort[]> {
  const cohortOf = sql<number>`((e.enrolled_at - ${MONDAY}) / ${WEEK})`;
  const enrolled = await sql<{ cohort: number; n: number }>`SELECT ${cohortOf} AS cohort, count(*) AS n FROM enrollments e
    WHERE e.funnel_id = ${funnelId} AND e.enrolled_at >= ${from} AND e.enrolled_at < ${to} GROUP BY 1`.execute(db);
  const converted = await sql<{ cohort: number; since: number; n: number }>`SELECT ${cohortOf} AS cohort, ((c.occurred_at - e.enrolled_at) / ${WEEK}) AS since,
    count(*) AS n FROM conversions c JOIN enrollments e ON e.id = c.enrollment_id
    WHERE e.funnel_id = ${funnelId} AND e.enrolled_at >= ${from} AND e.enrolled_at < ${to} GROUP BY 1, 2`.execute(db);
  const orders = await sql<{ cohort: number; since: number; n: number; amount: number }>`SELECT ${cohortOf} AS cohort,
    ((o.occurred_at - e.enrolled_at) / ${WEEK}) AS since, count(*) AS n, sum(o.amount_minor) AS amount
    FROM orders o JOIN enrollments e ON e.id = o.enrollment_id
    WHERE e.funnel_id = ${funnelId} AND e.enrolled_at >= ${from} AND e.enrolled_at < ${to} AND o.currency = ${currency} GROUP BY 1, 2`.execute(db);
  const span = Math.max(0, ...converted.rows.map((r) => Number(r.since)), ...orders.rows.map((r) => Number(r.since)));
  return enrolled.rows.map((r) => Number(r.cohort)).sort((a, b) => a - b).map((cohort): Cohort => {
    const size = Number(enrolled.rows.find((r) => Number(r.cohort) === cohort)!.n);
    let conv = 0;
    let count = 0;
    let amount = 0;
    const weeks = [];
    for (let week = 0; week <= span; week++) {
      for (const r of converted.rows) if (Number(r.cohort) === cohort && Number(r.since) === week) conv += Number(r.n);
      for (const r of orders.rows) {
        if (Number(r.cohort) !== cohort || Number(r.since) !== week) continue;
        count += Number(r.n);
        amount += Number(r.amount);
      }
      weeks.push({ week, converted: conv, conversionRate: size === 0 ? 0 : Math.round((conv / size) * 10_000) / 10_000, orders: count, revenue: toMajor(amount), revenueMinor: amount });
    }
    return { week: new Date(MONDAY_MS + cohort * WEEK_MS).toISOString().slice(0, 10), enrolled: size, weeks };
  });
}
