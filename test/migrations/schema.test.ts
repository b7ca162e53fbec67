import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, NO_MIGRATIONS, sql, type Kysely, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { freshDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db';

/*
 * Migrations are frozen: what 0001–0006 build on SQLite was snapshotted (sqlite_master, every step up and down) before
 * they learnt PostgreSQL, and must never change. On PostgreSQL the same steps build the same tables and columns, with
 * PostgreSQL's types for SQLite's (bigint stays bigint, 0/1 integers stay integers, REAL becomes DOUBLE PRECISION).
 */

const FROZEN = Object.keys(migrations).filter((name) => name < '0007');
const snapshot = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sqlite-schema.json'), 'utf8')) as {
  up: Record<string, Record<string, string>>; down: Record<string, Record<string, string>>;
};

const hash = (s: string | null) => createHash('sha256').update(s ?? '').digest('hex').slice(0, 16);

async function sqliteMaster(db: Kysely<any>): Promise<Record<string, string>> {
  const rows = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`SELECT type, name, tbl_name, sql FROM sqlite_master
    WHERE name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [`${r.type} ${r.name} on ${r.tbl_name}`, hash(r.sql)]));
}

/** table → column → type, on either database, in one vocabulary (SQLite's declared types, upper-cased). */
async function columns(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  if (dialect === 'postgres') {
    const PG: Record<string, string> = { bigint: 'BIGINT', integer: 'INTEGER', text: 'TEXT', 'double precision': 'REAL' };
    const rows = await sql<{ table_name: string; column_name: string; data_type: string }>`SELECT table_name, column_name, data_type
      FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'kysely_%'`.execute(db);
    for (const r of rows.rows) (out[r.table_name] ??= {})[r.column_name] = PG[r.data_type] ?? r.data_type;
    return out;
  }
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'`.execute(db);
  for (const { name } of tables.rows) {
    const info = await sql<{ name: string; type: string }>`SELECT name, type FROM pragma_table_info(${name})`.execute(db);
    out[name] = Object.fromEntries(info.rows.map((c) => [c.name, c.type.toUpperCase()]));
  }
  return out;
}

/** Index names other than those a key constraint makes implicitly. */
async function indexes(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const rows = dialect === 'postgres'
    ? await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE 'kysely_%'
        AND indexname NOT IN (SELECT conname FROM pg_constraint)`.execute(db)
    : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name NOT LIKE 'kysely_%'`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}

const migratorOf = (db: Kysely<any>, names: readonly string[]) =>
  new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!] as [string, Migration])) } });

describe.runIf(TEST_DB === 'sqlite')('migrations on SQLite', () => {
  it('build, step by step up and back down, byte-for-byte the schema snapshotted before PostgreSQL support', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    try {
      const migrator = migratorOf(db, FROZEN);
      for (const name of FROZEN) {
        expect((await migrator.migrateTo(name)).error).toBeUndefined();
        expect(await sqliteMaster(db), `after ${name} up`).toEqual(snapshot.up[name]);
      }
      for (const name of [...FROZEN].reverse().slice(1)) {
        expect((await migrator.migrateTo(name)).error).toBeUndefined();
        expect(await sqliteMaster(db), `back down to ${name}`).toEqual(snapshot.down[name]);
      }
      expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
      expect(await sqliteMaster(db)).toEqual(snapshot.down['(none)']);
    } finally {
      await close();
    }
  });
});

describe.runIf(TEST_DB === 'sqlite')('migrations after the frozen ones, on SQLite', () => {
  it('go up from the last frozen schema and back down to exactly it', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    try {
      const all = Object.keys(migrations);
      const migrator = migratorOf(db, all);
      const last = FROZEN[FROZEN.length - 1]!;
      expect((await migrator.migrateTo(last)).error).toBeUndefined();
      for (const name of all.filter((n) => !FROZEN.includes(n))) {
        expect((await migrator.migrateTo(name)).error, `${name} up`).toBeUndefined();
        expect(await sqliteMaster(db), `after ${name} up`).not.toEqual(snapshot.up[last]);
      }
      expect((await migrator.migrateTo(last)).error).toBeUndefined();
      expect(await sqliteMaster(db)).toEqual(snapshot.up[last]);
    } finally {
      await close();
    }
  });
});

describe.runIf(TEST_DB === 'postgres')('migrations on PostgreSQL', () => {
  let pg: TestDatabase;
  let lite: TestDatabase;
  beforeAll(async () => {
    pg = await freshDatabase({ migrated: false });
    const { openDatabase } = await import('../../src/db/database');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'af-schema-')), 'db.sqlite'));
    lite = { db, target: '', close: () => db.destroy() };
  });
  afterAll(async () => { await pg?.close(); await lite?.close(); });

  it('build at every step the tables, columns and indexes SQLite gets, with PostgreSQL types of the same width', async () => {
    const all = Object.keys(migrations); // the frozen ones and those after them (0007: enrollment migrations)
    const onPg = migratorOf(pg.db, all);
    const onLite = migratorOf(lite.db, all);
    for (const name of all) {
      expect((await onPg.migrateTo(name)).error).toBeUndefined();
      expect((await onLite.migrateTo(name)).error).toBeUndefined();
      expect(await columns(pg.db, 'postgres'), `columns after ${name}`).toEqual(await columns(lite.db, 'sqlite'));
      expect(await indexes(pg.db, 'postgres'), `indexes after ${name}`).toEqual(await indexes(lite.db, 'sqlite'));
    }
    const triggers = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_trigger WHERE tgname LIKE 'rollup_%'`.execute(pg.db);
    expect(triggers.rows[0]!.n).toBe(18);
    const money = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_trigger WHERE tgname LIKE 'money_%'`.execute(pg.db);
    expect(Number(money.rows[0]!.n)).toBe(15); // 0022: insert, update and delete on enrollments, conversions, orders, deliveries, contacts
  });

  it('go all the way down and up again, every migration including the newest', async () => {
    const all = Object.keys(migrations);
    const migrator = migratorOf(pg.db, all);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const before = await columns(pg.db, 'postgres');
    for (const name of [...all].reverse().slice(1)) expect((await migrator.migrateTo(name)).error, `down to ${name}`).toBeUndefined();
    expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
    expect(await columns(pg.db, 'postgres')).toEqual({});
    const functions = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_proc WHERE proname LIKE 'rollup_%' OR proname LIKE 'money_%'`.execute(pg.db);
    expect(functions.rows[0]!.n).toBe(0);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await columns(pg.db, 'postgres')).toEqual(before);
  });
});
