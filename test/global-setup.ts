import pg from 'pg';
import { openMigratedDatabase } from '../src/db/database';
import { startPostgres, type PostgresServer } from './helpers/postgres-server';
import { PG_TEMPLATE } from './helpers/test-db';

/*
 * With TEST_DB=postgres: one throwaway PostgreSQL server for the whole run, and a template database migrated once;
 * test/helpers/test-db.ts copies it for every fresh database. The server's URL reaches the test processes (and the
 * engines they start) as AF_TEST_PG_URL. Without TEST_DB nothing starts: SQLite needs no server.
 */

let server: PostgresServer | undefined;

/** Starts the server and migrates the template (vitest globalSetup). */
export async function setup(): Promise<void> {
  if (process.env.TEST_DB !== 'postgres') return;
  server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
  await admin.end();
  const db = await openMigratedDatabase(server.urlOf(PG_TEMPLATE), { poolSize: 1 });
  await db.destroy();
  process.env.AF_TEST_PG_URL = server.urlOf('').replace(/\/$/, '');
}

/** Stops the server and removes its files. */
export async function teardown(): Promise<void> {
  await server?.stop();
}
