/*
 * The SQL definitions every counter of the rollups is built from. The triggers (rollup-ddl.ts), the rebuild
 * (rollup-rebuild.ts) and the raw-table queries (raw-reader.ts) all use these fragments, so the three agree by
 * construction. Changing a fragment changes what new databases count: ship it with a migration that recreates
 * the triggers and calls rebuildRollups.
 */

import type { SqlDialect } from '../db/database';
import { REACHED_STATUSES } from '../../workflows/statuses';

/*
 * Both databases count alike; where their SQL differs the fragments take the dialect ('sqlite' by default, whose
 * text is what migration 0003 froze). SQLite uses a comparison as 0/1 directly; PostgreSQL has booleans, cast here.
 */

/** One hour in ms: the bucket of every counter rollup. */
export const HOUR_MS = 3_600_000;
/** One day in ms: the bucket of the time-to-conversion histograms. */
export const DAY_MS = 86_400_000;

/** A list of string literals as SQL: `('sent', 'delivered')`. */
export const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/** Statuses of a delivery that reached the customer (the dev outbox included), as an SQL list. */
export const REACHED_SQL = sqlList(REACHED_STATUSES);

/** The label of a skip without a recorded reason. */
export const UNSPECIFIED_REASON = 'unspecified';

/** The time a reached delivery counts from, for row alias `d`. */
export const touchTimeSql = (d: string) => `coalesce(${d}.sent_at, ${d}.delivered_at)`;

/** A condition as a 0/1 counter. */
export const flagSql = (condition: string, dialect: SqlDialect) => (dialect === 'postgres' ? `CAST(${condition} AS INTEGER)` : condition);

/** Whether the enrollment of delivery/assignment `r` converted at or after `r.<atColumn>` (a condition). */
export const convertedAfterSql = (r: string, atColumn: string) =>
  `EXISTS (SELECT 1 FROM conversions c WHERE c.enrollment_id = ${r}.enrollment_id AND c.occurred_at >= ${r}.${atColumn})`;

/** The per-delivery counters of `rollup_touch_hours` (each 0 or 1) for row alias `r`, without `deferred`. */
export function deliveryCountersSql(r: string, dialect: SqlDialect): Record<string, string> {
  const counters: Record<string, string> = {
    sent: `(${r}.status IN ('sent', 'delivered'))`,
    delivered: `(${r}.status = 'delivered' OR (${r}.status = 'sent' AND ${r}.delivered_at IS NOT NULL))`,
    outbox: `(${r}.status = 'outbox')`,
    failed: `(${r}.status = 'failed')`,
    skipped: `(${r}.status = 'skipped')`,
    held_out: `(${r}.status = 'held_out')`,
    opened: `(${r}.opened_at IS NOT NULL)`,
    clicked: `(${r}.clicked_at IS NOT NULL)`,
    replied: `(${r}.replied_at IS NOT NULL)`,
    unsubscribed: `(${r}.unsubscribed_at IS NOT NULL)`,
    reached_converted: `(${r}.status IN ${REACHED_SQL} AND ${convertedAfterSql(r, 'scheduled_at')})`,
    held_out_converted: `(${r}.status = 'held_out' AND ${convertedAfterSql(r, 'scheduled_at')})`,
  };
  return Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, flagSql(v, dialect)]));
}

/** The skip reason of delivery `r` as counted. */
export const skipReasonSql = (r: string) => `coalesce(${r}.reason, '${UNSPECIFIED_REASON}')`;

/**
 * Whether attribution row `r` is an assist (0/1): credited, but not the conversion's last touch (the touch its
 * `last_touch` row credits; those rows are written first).
 */
export const assistedSql = (r: string, dialect: SqlDialect) => flagSql(
  `(${r}.model <> 'last_touch' AND NOT EXISTS (SELECT 1 FROM attributions l WHERE l.conversion_id = ${r}.conversion_id AND l.model = 'last_touch' AND l.delivery_id = ${r}.delivery_id))`,
  dialect,
);

/** Buckets per doubling of the time-to-conversion histogram: each bucket is 2^(1/8) ≈ 9% wide. */
export const LAG_BUCKETS_PER_DOUBLING = 8;

/**
 * The histogram bucket of a lag in ms: 0 below one second, then b ≥ 1 covers [1 s · 2^((b-1)/8), 1 s · 2^(b/8)).
 * PostgreSQL has no log2 of a double: its exact numeric log puts powers of two in the bucket SQLite's log2 does.
 */
export const lagBucketSql = (lag: string, dialect: SqlDialect) => (dialect === 'postgres'
  ? `(CASE WHEN (${lag}) < 1000 THEN 0 ELSE 1 + CAST(floor(${LAG_BUCKETS_PER_DOUBLING} * log(2.0, (${lag}) / 1000.0)) AS INTEGER) END)`
  : `(CASE WHEN (${lag}) < 1000 THEN 0 ELSE 1 + CAST(floor(${LAG_BUCKETS_PER_DOUBLING} * log2((${lag}) / 1000.0)) AS INTEGER) END)`);

/** The lag from credited touch (delivery alias `d`) to the conversion of attribution row `a`, never negative. */
export const lagSql = (a: string, d: string, dialect: SqlDialect) =>
  `${dialect === 'postgres' ? 'greatest' : 'max'}(0, ${a}.occurred_at - coalesce(${touchTimeSql(d)}, ${a}.occurred_at))`;
