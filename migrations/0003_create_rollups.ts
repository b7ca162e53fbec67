import type { Kysely } from 'kysely';
import { ROLLUP_INDEXES_DDL, ROLLUP_TABLE_NAMES, rollupTablesDdl, rollupTriggerNames, rollupTriggersDdl, runDdl } from '../src/analytics/rollup-ddl';
import { backfillAttributions } from '../src/analytics/backfill-attributions';
import { rebuildRollups } from '../src/analytics/rollup-rebuild';

/**
 * Analytics rollups: per-day and per-hour counters of enrollments, conversions, deliveries, skip/defer reasons,
 * attributed credit and split assignments, and per-day time-to-conversion histograms, kept current by triggers on the ledger
 * tables (SQLite). Existing conversions get the credit of all five attribution models, then the rollups are built
 * from the existing rows, then the triggers take over — all in one transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await runDdl(trx, rollupTablesDdl());
    await runDdl(trx, ROLLUP_INDEXES_DDL);
    await backfillAttributions(trx);
    await rebuildRollups(trx);
    await runDdl(trx, rollupTriggersDdl());
  });
}

/** Drops the triggers, the rollup tables and the indexes `up` created (the backfilled credit stays). */
export async function down(db: Kysely<any>): Promise<void> {
  await runDdl(db, rollupTriggerNames().map((t) => `DROP TRIGGER IF EXISTS ${t}`));
  await runDdl(db, ROLLUP_TABLE_NAMES.map((t) => `DROP TABLE IF EXISTS ${t}`));
  await runDdl(db, ['deliveries_funnel_scheduled', 'attributions_funnel_time', 'touch_log_funnel_time', 'split_assignments_funnel_time']
    .map((i) => `DROP INDEX IF EXISTS ${i}`));
}
