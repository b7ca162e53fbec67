import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../db/database';
import { ROLLUP_TABLE_NAMES, aggregateContributionSql } from './rollup-ddl';
import { contributionsOf } from './rollup-contributions';
import { moneyRebuildSql } from './money-rollup-ddl';

/**
 * Recomputes every rollup from the ledger tables: afterwards the rollups equal what the triggers would have built
 * had they seen every write. Used by the migration that introduces them and to repair after manual edits.
 * Runs in one transaction (or in the caller's).
 */
export async function rebuildRollups(db: Kysely<any>): Promise<void> {
  if (db.isTransaction) return rebuildIn(db);
  await db.transaction().execute((trx) => rebuildIn(trx));
}

async function rebuildIn(db: Kysely<any>): Promise<void> {
  for (const table of ROLLUP_TABLE_NAMES) await sql.raw(`DELETE FROM ${table}`).execute(db);
  const dialect = dialectOf(db);
  for (const [source, contribute] of Object.entries(contributionsOf(dialect))) {
    for (const c of contribute('r').filter((x) => x.onBehalfOf === undefined)) {
      for (const stmt of aggregateContributionSql(source, c, dialect)) await sql.raw(stmt).execute(db);
    }
  }
  for (const stmt of moneyRebuildSql(dialect)) await sql.raw(stmt).execute(db);
}
