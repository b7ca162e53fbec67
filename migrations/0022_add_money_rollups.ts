import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { MONEY_INDEXES, MONEY_REBUILD, MONEY_TABLES, MONEY_TABLE_NAMES, MONEY_TRIGGERS, MONEY_TRIGGER_DROPS } from './0022_add_money_rollups.sql';
import { PG_MONEY_REBUILD, PG_MONEY_TABLES, PG_MONEY_TRIGGERS, PG_MONEY_TRIGGER_DROPS } from './0022_add_money_rollups.pg.sql';

/*
 * Frozen in time: this migration imports no application code; its SQL is inlined in ./0022_add_money_rollups.sql.ts
 * (SQLite) and ./0022_add_money_rollups.pg.sql.ts (PostgreSQL).
 */

/**
 * Money rollups: per funnel, hour and day, for the whole funnel, each touch, each contact source and campaign, and
 * each currency — enrollments, first conversions, orders and revenue in minor units, billed messages and the SMS cost;
 * and the leads of every funnel per source and campaign (how unassigned spend is shared). Kept current by triggers
 * on enrollments, conversions, orders, deliveries and contacts (a contact's new source moves its rows' figures). Built
 * from the existing rows, then the triggers take over — in one transaction (on PostgreSQL the migrator's own).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const steps = async (trx: Kysely<any>) => {
    await run(trx, pg ? PG_MONEY_TABLES : MONEY_TABLES);
    await run(trx, MONEY_INDEXES);
    await run(trx, pg ? PG_MONEY_REBUILD : MONEY_REBUILD);
    await run(trx, pg ? PG_MONEY_TRIGGERS : MONEY_TRIGGERS);
  };
  if (db.isTransaction) await steps(db);
  else await db.transaction().execute(steps);
}

/** Drops the triggers, the money rollup tables and the indexes `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  await run(db, isPostgres(db) ? PG_MONEY_TRIGGER_DROPS : MONEY_TRIGGER_DROPS);
  await run(db, [...MONEY_TABLE_NAMES, 'money_attributes'].map((t) => `DROP TABLE IF EXISTS ${t}`));
  await run(db, ['conversions_contact', 'enrollments_enrolled_at'].map((i) => `DROP INDEX IF EXISTS ${i}`));
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function run(db: Kysely<any>, statements: readonly string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
