import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { AttributionModel } from './attribution-models';
import type { Span } from './periods';
import { rollupTable, type Grain } from './rollup-ddl';
import { LEDGER_COUNTERS, addCreditRows, addFunnelRow, addLagRows, addLedgerRows, addReasonRows, type FunnelTally } from './stats-tally';

type Row = Record<string, unknown>;
const LEDGER_SUMS = sql.raw(LEDGER_COUNTERS.map(([, c]) => `sum(${c}) AS ${c}`).join(', '));

/**
 * Adds the rollups of the whole buckets [first, last) of `grain` (bucket indexes) to the tally: enrollments,
 * conversions, ledger, skip and defer reasons, `model` credit.
 */
export async function addRollupCounts(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, grain: Grain, [first, last]: Span): Promise<void> {
  const t = sql.ref(grain);
  const funnel = await sql<Row>`SELECT sum(enrolled) AS enrolled, sum(active) AS active, sum(converted) AS converted, sum(revenue) AS revenue
    FROM ${sql.table(rollupTable('funnel', grain))} WHERE funnel_id = ${funnelId} AND ${t} >= ${first} AND ${t} < ${last}`.execute(db);
  addFunnelRow(tally, funnel.rows[0]);
  const ledger = await sql<Row>`SELECT touch_id, ${LEDGER_SUMS}
    FROM ${sql.table(rollupTable('touch', grain))} WHERE funnel_id = ${funnelId} AND ${t} >= ${first} AND ${t} < ${last} GROUP BY touch_id`.execute(db);
  addLedgerRows(tally, ledger.rows);
  const reasons = await sql<{ touch_id: string; kind: string; reason: string; n: number }>`SELECT touch_id, kind, reason, sum(n) AS n
    FROM ${sql.table(rollupTable('reason', grain))} WHERE funnel_id = ${funnelId} AND ${t} >= ${first} AND ${t} < ${last}
    GROUP BY touch_id, kind, reason HAVING sum(n) <> 0`.execute(db);
  addReasonRows(tally, reasons.rows);
  const credit = await sql<{ touch_id: string; credit: number; revenue: number; assisted: number }>`
    SELECT touch_id, sum(credit) AS credit, sum(revenue) AS revenue, sum(assisted) AS assisted
    FROM ${sql.table(rollupTable('credit', grain))} WHERE funnel_id = ${funnelId} AND model = ${model} AND ${t} >= ${first} AND ${t} < ${last}
    GROUP BY touch_id`.execute(db);
  addCreditRows(tally, credit.rows);
}

/** Adds the time-to-conversion histograms of conversions in the whole days [first, last) (day indexes) to the tally. */
export async function addRollupLags(db: Db, tally: FunnelTally, funnelId: string, model: AttributionModel, [first, last]: Span): Promise<void> {
  const lags = await sql<{ touch_id: string; bucket: number; n: number }>`SELECT touch_id, bucket, sum(n) AS n
    FROM rollup_lag_days WHERE funnel_id = ${funnelId} AND model = ${model} AND day >= ${first} AND day < ${last}
    GROUP BY touch_id, bucket`.execute(db);
  addLagRows(tally, lags.rows);
}
