import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, openMigratedDatabase, type Db, type SqlDialect } from '../../src/db/database';

/*
 * "A fresh database" for a test, on the database the run is for: SQLite (a file in a temp folder) by default, or
 * PostgreSQL with TEST_DB=postgres (`npm run test:postgres`), where test/global-setup.ts starts a throwaway server and
 * migrates a template database once; each fresh database is a copy of it (or of an empty one), dropped when the test
 * file ends.
 */

/** The database this test run runs on. */
export const TEST_DB: SqlDialect = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The template database global-setup migrated to the latest schema. */
export const PG_TEMPLATE = 'af_template';

/** A fresh database: its handle, what DATABASE_URL (or the SQLite path) names it, and how to close and remove it. */
export interface TestDatabase {
  db: Db;
  /** A postgres:// URL or a SQLite file path: what a child process gets as DATABASE_URL. */
  target: string;
  close(): Promise<void>;
}

/** Options of a fresh database. */
export interface FreshOptions {
  /** Migrated to the latest schema (default) or empty, for tests of the migrations themselves. */
  migrated?: boolean;
  /** Folder for the SQLite file (default: a new temp folder, removed on close). */
  dir?: string;
}

let counter = 0;
let admin: Promise<pg.Client> | undefined;
const created: string[] = [];

function serverUrl(): string {
  const url = process.env.AF_TEST_PG_URL;
  if (!url) throw new Error('TEST_DB=postgres but no test server: run through vitest (test/global-setup.ts starts it)');
  return url;
}

/** The URL of database `name` on the test server. */
export function postgresUrlOf(name: string): string {
  return `${serverUrl()}/${name}`;
}

async function adminClient(): Promise<pg.Client> {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: postgresUrlOf('postgres') });
    await client.connect();
    client.on('error', () => undefined);
    return client;
  })();
  return admin;
}

/** Creates a new PostgreSQL database (a copy of the migrated template, or empty) and answers its URL. */
async function createPostgresDatabase(migrated: boolean): Promise<string> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const client = await adminClient();
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${migrated ? PG_TEMPLATE : 'template0'}`);
      break;
    } catch (err) {
      // Two files copying the template at the same instant: PostgreSQL refuses the second while the first copies.
      if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  created.push(name);
  return postgresUrlOf(name);
}

/** What a fresh database is called, without opening it: a child process (`npm start`) opens it with DATABASE_URL. */
export async function freshDatabaseTarget(options: FreshOptions = {}): Promise<{ target: string; remove(): Promise<void> }> {
  if (TEST_DB === 'postgres') {
    const target = await createPostgresDatabase(options.migrated ?? true);
    return { target, remove: () => dropPostgresDatabase(target) };
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'af-db-'));
  const target = join(dir, 'db.sqlite');
  if (options.migrated ?? true) await (await openMigratedDatabase(target)).destroy();
  return { target, remove: async () => { if (!options.dir) rmSync(dir, { recursive: true, force: true }); } };
}

/** A fresh database, migrated unless told otherwise, on the run's database. */
export async function freshDatabase(options: FreshOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (TEST_DB === 'postgres') {
    const target = await createPostgresDatabase(migrated);
    const db = openDatabase(target, { poolSize: 4 });
    return { db, target, close: async () => { await db.destroy().catch(() => undefined); await dropPostgresDatabase(target); } };
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'af-db-'));
  const target = join(dir, 'db.sqlite');
  const db = migrated ? await openMigratedDatabase(target) : openDatabase(target);
  const close = async () => {
    await db.destroy().catch(() => undefined);
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  return { db, target, close };
}

async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const at = created.indexOf(name);
  if (at < 0) return;
  created.splice(at, 1);
  await (await adminClient()).query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
}

/** Drops every database this test file created and did not close (test/setup.ts calls it after each file). */
export async function dropLeftoverDatabases(): Promise<void> {
  if (!admin) return;
  const client = await admin;
  for (const name of created.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  admin = undefined;
  await client.end().catch(() => undefined);
}

/**
 * The database an engine started as a child process (`npm start`, the server, a worker) gets: nothing on SQLite (its
 * default file in DATA_DIR), a fresh empty PostgreSQL database as DATABASE_URL on PostgreSQL (the engine migrates it).
 */
export async function engineDatabaseEnv(): Promise<Record<string, string>> {
  if (TEST_DB !== 'postgres') return {};
  return { DATABASE_URL: (await freshDatabaseTarget({ migrated: false })).target };
}

/** Opens the database of an engine started with `env` (DATABASE_URL, else the SQLite file in DATA_DIR). */
export function openEngineDatabase(env: Record<string, string | undefined>): Db {
  return openDatabase(env.DATABASE_URL ?? join(env.DATA_DIR!, 'autofunnel.sqlite'));
}
