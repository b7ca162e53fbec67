import { sql } from 'kysely';
import { dialectOf, type Db } from '../../src/db/database';

/*
 * The few things tests do to a database beyond the application's queries, on both databases: list its tables, and
 * make writes fail the way a broken disk would (a real error from the database, not a mock).
 */

/** Every table of ours (the migrator's bookkeeping and the database's own left out), sorted by name. */
export async function tableNames(db: Db): Promise<string[]> {
  const rows = dialectOf(db) === 'postgres'
    ? await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%' order by tablename`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Makes every insert into `table` fail with `message` (only rows where `when` holds, an SQL condition on `new`) until
 * `dropFailingInserts`: a trigger, so the error comes from the database itself.
 */
export async function failInserts(db: Db, table: string, message: string, when?: string): Promise<void> {
  const name = `fail_${table}`;
  if (dialectOf(db) === 'postgres') {
    await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message.replace(/'/g, "''")}'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW ${when ? `WHEN (${when}) ` : ''}EXECUTE FUNCTION ${name}()`).execute(db);
  } else {
    await sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} ${when ? `WHEN ${when} ` : ''}BEGIN SELECT RAISE(ABORT, '${message.replace(/'/g, "''")}'); END`).execute(db);
  }
}

/** Removes what `failInserts` installed on `table`. */
export async function dropFailingInserts(db: Db, table: string): Promise<void> {
  const name = `fail_${table}`;
  if (dialectOf(db) === 'postgres') {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
    await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
  } else {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
  }
}
