import { sql } from 'kysely';
import { dialectOf, type Db, type SqlDialect } from '../db/database';
import type { AttributionModel } from './attribution-models';
import type { Span } from './periods';
import { assistedSql, deliveryCountersSql, flagSql, lagBucketSql, lagSql, skipReasonSql } from './rollup-sql';
import { LEDGER_COUNTERS, addCreditRows, addFunnelRow, addLagRows, addLedgerRows, addReasonRows, type FunnelTally } from './stats-tally';

/*
 * The same counts as the rollups, straight from the ledger tables over [from, to) in ms. funnelStats uses these for
 * the ragged edges of a period (less than an hour each); funnelStatsFromRawTables for a whole period, as the
 * baseline the bench compares with and a cross-check of the rollups.
 */

type Row = Record<string, unknown>;
const ledgerSums = (dialect: SqlDialect) => {
  const counters = deliveryCountersSql('d', dialect);
  return sql.raw(LEDGER_COUNTERS.map(([, c]) => `sum(${counters[c]}) AS ${c}`).join(', '));
};
const LEDGER_SUMS = { sqlite: ledgerSums('sqlite'), postgres: ledgerSums('postgres') };

/** Narrows raw counts to the contacts whose first source has this key (`?source=`). */
export interface ContactScope {
  source: string;
}

const inScope = (column: string, scope: ContactScope | undefined) =>
  scope ? sql`AND ${sql.ref(column)} IN (SELECT id FROM contacts WHERE source = ${scope.source})` : sql``;
const creditInScope = (scope: ContactScope | undefined) => scope
  ? sql`AND r.conversion_id IN (SELECT cv.id FROM conversions cv JOIN contacts k ON k.id = cv.contact_id WHERE k.source = ${scope.source})`
  : sql``;

/** Adds enrollments, conversions, ledger, reasons and `model` credit of the raw rows in [from, to) to the tally (of the scope's contacts only, when given). */
export async function addRawCounts(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, [from, to]: Span, scope?: ContactScope): Promise<void> {
  const dialect = dialectOf(db);
  const enrolled = await sql<Row>`SELECT count(*) AS enrolled, sum(${sql.raw(flagSql(`status = 'active'`, dialect))}) AS active
    FROM enrollments WHERE funnel_id = ${funnelId} AND enrolled_at >= ${from} AND enrolled_at < ${to} ${inScope('contact_id', scope)}`.execute(db);
  addFunnelRow(tally, enrolled.rows[0]);
  const converted = await sql<Row>`SELECT count(*) AS converted, sum(value) AS revenue
    FROM conversions WHERE funnel_id = ${funnelId} AND occurred_at >= ${from} AND occurred_at < ${to} ${inScope('contact_id', scope)}`.execute(db);
  addFunnelRow(tally, converted.rows[0]);
  const ledger = await sql<Row>`SELECT d.touch_id, ${LEDGER_SUMS[dialect]}
    FROM deliveries d WHERE d.funnel_id = ${funnelId} AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to} ${inScope('d.contact_id', scope)} GROUP BY d.touch_id`.execute(db);
  addLedgerRows(tally, ledger.rows);
  const skipped = await sql<{ touch_id: string; kind: string; reason: string; n: number }>`
    SELECT d.touch_id, 'skipped' AS kind, ${sql.raw(skipReasonSql('d'))} AS reason, count(*) AS n
    FROM deliveries d WHERE d.funnel_id = ${funnelId} AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to} AND d.status = 'skipped'
    ${inScope('d.contact_id', scope)} GROUP BY 1, 3`.execute(db);
  addReasonRows(tally, skipped.rows);
  const deferred = await sql<{ touch_id: string; kind: string; reason: string; n: number }>`
    SELECT touch_id, kind, reason, count(*) AS n
    FROM touch_log WHERE funnel_id = ${funnelId} AND kind = 'deferred' AND at >= ${from} AND at < ${to} ${inScope('contact_id', scope)} GROUP BY touch_id, kind, reason`.execute(db);
  addReasonRows(tally, deferred.rows);
  const credit = await sql<{ touch_id: string; credit: number; revenue: number; assisted: number }>`
    SELECT r.touch_id, sum(r.credit) AS credit, sum(r.revenue) AS revenue, sum(${sql.raw(assistedSql('r', dialect))}) AS assisted
    FROM attributions r WHERE r.funnel_id = ${funnelId} AND r.model = ${model} AND r.occurred_at >= ${from} AND r.occurred_at < ${to}
    ${creditInScope(scope)} GROUP BY r.touch_id`.execute(db);
  addCreditRows(tally, credit.rows);
}

/** Adds the time-to-conversion histograms of `model` credit for conversions in [from, to) to the tally. */
export async function addRawLags(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, [from, to]: Span, scope?: ContactScope): Promise<void> {
  const dialect = dialectOf(db);
  const lags = await sql<{ touch_id: string; bucket: number; n: number }>`
    SELECT r.touch_id, ${sql.raw(lagBucketSql(lagSql('r', 'd', dialect), dialect))} AS bucket, count(*) AS n
    FROM attributions r JOIN deliveries d ON d.id = r.delivery_id
    WHERE r.funnel_id = ${funnelId} AND r.model = ${model} AND r.occurred_at >= ${from} AND r.occurred_at < ${to}
    ${creditInScope(scope)} GROUP BY 1, 2`.execute(db);
  addLagRows(tally, lags.rows);
}
