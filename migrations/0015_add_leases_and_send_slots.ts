import type { Kysely } from 'kysely';

/**
 * Shared state of several processes on one database: `leases` (one holder per name until `until`, e.g. the leader that
 * polls Telegram and runs the sweeps) and `send_slots` (per rate key the earliest time the next send may start, e.g.
 * Telegram's 30/s over the bot and 1/s per chat, held across every worker). The same statements build the same
 * tables on SQLite and PostgreSQL (text keys, bigint epoch milliseconds).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('send_slots')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('send_slots_next_at').on('send_slots').column('next_at').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_slots').ifExists().execute();
  await db.schema.dropTable('leases').ifExists().execute();
}
