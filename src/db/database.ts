import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type MigrationResultSet, type SqliteDialectConfig } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from '../../migrations/index';
import type { Database } from './schema';
import { isPostgresUrl, postgresDialect } from './postgres';

/** The kysely handle every repository takes first. */
export type Db = Kysely<Database>;

/** The SQL dialect behind a handle: SQLite (embedded, the default) or PostgreSQL (`DATABASE_URL=postgres://…`). */
export type SqlDialect = 'sqlite' | 'postgres';

/** Which database a handle (or a transaction of it) talks to. */
export function dialectOf(db: Kysely<any>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Transactions take the write lock when they begin (`BEGIN IMMEDIATE`), so they wait out another process's write
 * under the busy timeout. A deferred one that reads first and writes later fails at once with "database is locked"
 * when another process (a worker) committed in between — SQLite cannot wait there without breaking the snapshot.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** Opens (creating if needed) the SQLite database in WAL mode with a busy timeout, so the server and worker can share it. */
function openSqlite(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's lower() folds ASCII only; PostgreSQL's (in a UTF-8 database) folds every letter. Both fold alike with
  // JavaScript's: searching «анна» finds «Анна» on either database.
  sqlite.function('lower', { deterministic: true }, (v: unknown) => (v === null || v === undefined ? null : String(v).toLowerCase()));
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
}

/** Options of a PostgreSQL handle. */
export interface OpenOptions {
  /** Connections in the PostgreSQL pool (default 10); SQLite has one. */
  poolSize?: number;
}

/**
 * Opens the database `target` names: a `postgres://…` URL (a connection pool; the database must exist), else a
 * SQLite file path (created if needed).
 */
export function openDatabase(target: string, options: OpenOptions = {}): Db {
  if (isPostgresUrl(target)) return new Kysely<Database>({ dialect: postgresDialect(target, options.poolSize) });
  return openSqlite(target);
}

/** Applies every pending migration; returns kysely's `{ error, results }` instead of throwing. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return migrator.migrateToLatest();
}

/** Opens and migrates; throws if a migration fails (start-up cannot go on without the schema). */
export async function openMigratedDatabase(target: string, options: OpenOptions = {}): Promise<Db> {
  const db = openDatabase(target, options);
  const { error } = await migrateToLatest(db).catch((error: unknown) => ({ error }));
  if (error) {
    await db.destroy();
    throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return db;
}
