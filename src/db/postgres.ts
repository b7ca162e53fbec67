import pg from 'pg';
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type PostgresDialectConfig, type TransactionSettings } from 'kysely';

/*
 * PostgreSQL behind the same kysely handle as SQLite. Two differences are settled here, once, so repositories and
 * queries stay the same on both databases:
 * - numbers: `pg` answers int8 (`bigint` columns, `count(*)`, `sum()` of integers) and numeric (`sum()` of bigint)
 *   as strings, because they can exceed 2^53. Every such value here is an epoch-ms time or a count, far below it,
 *   so they are parsed to numbers as SQLite returns them.
 * - transactions: SQLite's `BEGIN IMMEDIATE` makes explicit transactions take turns, and code that reads then writes
 *   inside one (upsert a contact, record a conversion) relies on it. Here each explicit transaction takes one
 *   transaction-level advisory lock first; statements outside transactions run concurrently as before.
 */

const INT8 = 20;
const NUMERIC = 1700;

/** The advisory lock key every explicit transaction holds until it ends (an arbitrary constant: "autofunnel"). */
export const TRANSACTION_LOCK_KEY = 0x6175_746f;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

class TurnTakingPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${TRANSACTION_LOCK_KEY})`));
  }
}

class TurnTakingPostgresDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }

  override createDriver(): PostgresDriver {
    return new TurnTakingPostgresDriver(this.settings);
  }
}

/** Whether a DATABASE_URL names a PostgreSQL database. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The kysely dialect for a PostgreSQL URL: a pool of `max` connections, numbers parsed as SQLite gives them. */
export function postgresDialect(url: string, max = 10): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max, types, idleTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; the next query reconnects instead of crashing the process.
  pool.on('error', () => undefined);
  return new TurnTakingPostgresDialect({ pool });
}

/** The URL with its password replaced by `***`, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
