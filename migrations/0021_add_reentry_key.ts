import { sql, type Kysely } from 'kysely';

/**
 * Re-entry per key: an enrollment remembers the entry key it was enrolled under (`reentry: { key }`, '' otherwise), and
 * the one-active rule becomes one active enrollment per funnel, contact and key — so several orders run side by side.
 * Funnels without a key keep '' on every row, so for them the rule is exactly the old one. The same DDL on SQLite and
 * PostgreSQL (a partial unique index both understand).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('enrollments').addColumn('entry_key', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.dropIndex('enrollments_one_active').ifExists().execute();
  await db.schema.createIndex('enrollments_one_active').on('enrollments').columns(['funnel_id', 'contact_id', 'entry_key'])
    .unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('enrollments_entry_key').on('enrollments').columns(['funnel_id', 'contact_id', 'entry_key']).execute();
}

/** Restores the one-active rule per funnel and contact (fails if keyed enrollments still run side by side). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrollments_entry_key').ifExists().execute();
  await db.schema.dropIndex('enrollments_one_active').ifExists().execute();
  await db.schema.createIndex('enrollments_one_active').on('enrollments').columns(['funnel_id', 'contact_id'])
    .unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.alterTable('enrollments').dropColumn('entry_key').execute();
}
