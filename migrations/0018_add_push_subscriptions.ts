import type { Kysely } from 'kysely';

/**
 * Web push: the browser subscriptions visitors of a funnel's pages gave (endpoint and keys of the Push API), one row
 * per endpoint, for the `push()` touch. The same DDL on SQLite and PostgreSQL (text, bigint).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text')
    .addColumn('page_id', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscriptions_contact').on('push_subscriptions').columns(['contact_id', 'created_at']).execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_subscriptions').ifExists().execute();
}
