import { sql } from 'kysely';
import { dialectOf, type Db, type SqlDialect } from '../db/database';
import type { AttributionModel } from './attribution-models';
import type { Span } from './periods';
import { assistedSql, deliveryCountersSql, flagSql, lagBucketSql, lagSql, skipReasonSql } from './rollup-sql';
import { LEDGER_COUNTERS, addCreditRows, addFunnelRow, addLagRows, addLedgerRows, addReasonRows, type FunnelTally } from './stats-tally';
import { andVersion } from './version-filter';

/*
 * The same counts as the rollups, straight from the ledger tables over [from, to) in ms. funnelStats uses these for
 * the ragged edges of a period (less than an hour each); funnelStatsFromRawTables for a whole period, as the
 * baseline the bench compares with, a cross-check of the rollups, and the figures the rollups do not keep (one
 * version, one source).
 */

type Row = Record<string, unknown>;
const ledgerSums = (dialect: SqlDialect) => {
  const counters = deliveryCountersSql('d', dialect);
  return sql.raw(LEDGER_COUNTERS.map(([, c]) => `sum(${counters[c]}) AS ${c}`).join(', '));
};
const LEDGER_SUMS = { sqlite: ledgerSums('sqlite'), postgres: ledgerSums('postgres') };

/**
 * Narrows raw counts: `version` — only the rows written while their enrollment was on that version (enrollments: those
 * that started on it); `source` — only the contacts whose first source has this key (`?source=`).
 */
export interface RawFilter {
  version?: string | undefined;
  source?: string | undefined;
}

const inScope = (column: string, source: string | undefined) =>
  source === undefined ? sql`` : sql`AND ${sql.ref(column)} IN (SELECT id FROM contacts WHERE source = ${source})`;
const creditInScope = (source: string | undefined) => source === undefined
  ? sql``
  : sql`AND r.conversion_id IN (SELECT cv.id FROM conversions cv JOIN contacts k ON k.id = cv.contact_id WHERE k.source = ${source})`;

/** Adds enrollments, conversions, ledger, reasons and `model` credit of the raw rows in [from, to) to the tally, narrowed by `filter`. */
export async function addRawCounts(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, [from, to]: Span, filter: RawFilter = {}): Promise<void> {
  const { version, source } = filter;
  const dialect = dialectOf(db);
  const enrolled = await sql<Row>`SELECT count(*) AS enrolled, sum(${sql.raw(flagSql(`status = 'active'`, dialect))}) AS active
    FROM enrollments WHERE funnel_id = ${funnelId} AND enrolled_at >= ${from} AND enrolled_at < ${to}
    ${andVersion(version, 'enrollments.id', 'enrollments.enrolled_at')} ${inScope('contact_id', source)}`.execute(db);
  addFunnelRow(tally, enrolled.rows[0]);
  const converted = await sql<Row>`SELECT count(*) AS converted, sum(value) AS revenue
    FROM conversions WHERE funnel_id = ${funnelId} AND occurred_at >= ${from} AND occurred_at < ${to}
    ${andVersion(version, 'conversions.enrollment_id', 'conversions.occurred_at')} ${inScope('contact_id', source)}`.execute(db);
  addFunnelRow(tally, converted.rows[0]);
  const inVersion = andVersion(version, 'd.enrollment_id', 'd.scheduled_at');
  const ledger = await sql<Row>`SELECT d.touch_id, ${LEDGER_SUMS[dialect]}
    FROM deliveries d WHERE d.funnel_id = ${funnelId} AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to} ${inVersion}
    ${inScope('d.contact_id', source)} GROUP BY d.touch_id`.execute(db);
  addLedgerRows(tally, ledger.rows);
  const skipped = await sql<{ touch_id: string; kind: string; reason: string; n: number }>`
    SELECT d.touch_id, 'skipped' AS kind, ${sql.raw(skipReasonSql('d'))} AS reason, count(*) AS n
    FROM deliveries d WHERE d.funnel_id = ${funnelId} AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to} AND d.status = 'skipped' ${inVersion}
    ${inScope('d.contact_id', source)} GROUP BY 1, 3`.execute(db);
  addReasonRows(tally, skipped.rows);
  const deferred = await sql<{ touch_id: string; kind: string; reason: string; n: number }>`
    SELECT touch_id, kind, reason, count(*) AS n
    FROM touch_log WHERE funnel_id = ${funnelId} AND kind = 'deferred' AND at >= ${from} AND at < ${to}
    ${andVersion(version, 'touch_log.enrollment_id', 'touch_log.at')} ${inScope('contact_id', source)}
    GROUP BY touch_id, kind, reason`.execute(db);
  addReasonRows(tally, deferred.rows);
  const credit = await sql<{ touch_id: string; credit: number; revenue: number; assisted: number }>`
    SELECT r.touch_id, sum(r.credit) AS credit, sum(r.revenue) AS revenue, sum(${sql.raw(assistedSql('r', dialect))}) AS assisted
    FROM attributions r ${version === undefined ? sql`` : sql`JOIN deliveries d ON d.id = r.delivery_id`}
    WHERE r.funnel_id = ${funnelId} AND r.model = ${model} AND r.occurred_at >= ${from} AND r.occurred_at < ${to} ${inVersion}
    ${creditInScope(source)} GROUP BY r.touch_id`.execute(db);
  addCreditRows(tally, credit.rows);
}

/** Adds the time-to-conversion histograms of `model` credit for conversions in [from, to) to the tally, narrowed by `filter`. */
export async function addRawLags(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, [from, to]: Span, filter: RawFilter = {}): Promise<void> {
  const dialect = dialectOf(db);
  const lags = await sql<{ touch_id: string; bucket: number; n: number }>`
    SELECT r.touch_id, ${sql.raw(lagBucketSql(lagSql('r', 'd', dialect), dialect))} AS bucket, count(*) AS n
    FROM attributions r JOIN deliveries d ON d.id = r.delivery_id
    WHERE r.funnel_id = ${funnelId} AND r.model = ${model} AND r.occurred_at >= ${from} AND r.occurred_at < ${to}
    ${andVersion(filter.version, 'd.enrollment_id', 'd.scheduled_at')} ${creditInScope(filter.source)} GROUP BY 1, 2`.execute(db);
  addLagRows(tally, lags.rows);
}
