import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, type Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../helpers/imports';
import { freshDatabase, TEST_DB } from '../helpers/test-db';
import * as createCore from '../../migrations/0001_create_core';
import * as addChannels from '../../migrations/0002_add_channels';
import * as createRollups from '../../migrations/0003_create_rollups';
import { digestDatabase, seedVersion0002 } from './seed-0002';

/** Taken with migration 0003 as it shipped (generating its SQL from src/analytics), before it was frozen. */
const shipped = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', '0003-digest.json'), 'utf8')) as {
  schema: Record<string, string>; emptyTables: Record<string, unknown>; seededTables: Record<string, unknown>;
};

/** Migrations 0001–0002, the seed, then 0003, on the run's database (SQLite or PostgreSQL); the digest of the result. */
async function migrated(seed: boolean) {
  const { db, close } = await freshDatabase({ migrated: false });
  try {
    const upTo = (migrations: Record<string, Migration>) => new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
    expect((await upTo({ '0001_create_core': createCore, '0002_add_channels': addChannels })).error).toBeUndefined();
    if (seed) await seedVersion0002(db);
    expect((await upTo({ '0001_create_core': createCore, '0002_add_channels': addChannels, '0003_create_rollups': createRollups })).error).toBeUndefined();
    return await digestDatabase(db);
  } finally {
    await close();
  }
}

describe('migrations are frozen in time', () => {
  const files = readdirSync('migrations').filter((f) => f.endsWith('.ts') && f !== 'index.ts');

  it.each(files)('%s imports only kysely and its own files, never application code', (file) => {
    const bad = importsOf(readFileSync(join('migrations', file), 'utf8')).filter(({ from }) => from !== 'kysely' && !from.startsWith('./'));
    expect(bad).toEqual([]);
  });

  it.runIf(TEST_DB === 'sqlite')('0003 creates byte-for-byte the schema it created when it shipped', async () => {
    const { schema, tables } = await migrated(false);
    expect(schema).toEqual(shipped.schema);
    expect(tables).toEqual(shipped.emptyTables);
  });

  it.runIf(TEST_DB === 'postgres')('0003 creates on PostgreSQL the tables it created on SQLite when it shipped, all empty', async () => {
    const { tables } = await migrated(false);
    expect(tables).toEqual(shipped.emptyTables);
  });

  // On PostgreSQL too: its triggers, rebuild and backfill give every row SQLite's did, to the 12th digit.
  it('0003 turns a database of 0002 into the same credit and rollups as when it shipped', async () => {
    const { tables } = await migrated(true);
    expect((tables.attributions as { rows: number }).rows).toBeGreaterThan(50);
    expect(tables).toEqual(shipped.seededTables);
  });
});
