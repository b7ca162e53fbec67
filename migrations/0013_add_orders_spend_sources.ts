import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Money: every goal event per enrollment (`orders`, the first one and the repeats, in minor units with a currency),
 * the credit of each repeat order under every model (`repeat_credits`: the touches since the previous order), ad
 * spend per source and day (`spend`), and where a contact came from (`contacts.source` / `campaign`: the first
 * source's key and campaign, for grouping; `source_first` / `source_latest`: the captured utm_*, referrer and landing
 * URL as JSON). Existing conversions become first orders in RUB (their `value` × 100, rounded).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const real = db.getExecutor().adapter instanceof PostgresAdapter ? 'double precision' : 'real';
  await db.schema.createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('enrollments.id'))
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('is_first', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('orders_enrollment_event', ['enrollment_id', 'event_id'])
    .execute();
  await db.schema.createIndex('orders_funnel').on('orders').columns(['funnel_id', 'occurred_at']).execute();
  await db.schema.createIndex('orders_contact').on('orders').columns(['contact_id', 'occurred_at']).execute();

  await db.schema.createTable('repeat_credits')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('touch_id', 'text', (c) => c.notNull())
    .addColumn('credit', real, (c) => c.notNull())
    .addColumn('amount_minor', real, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('repeat_credits_pk', ['order_id', 'model', 'delivery_id'])
    .execute();
  await db.schema.createIndex('repeat_credits_funnel').on('repeat_credits').columns(['funnel_id', 'model', 'occurred_at']).execute();

  await db.schema.createTable('spend')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text')
    .addColumn('funnel_id', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('day_start', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spend_day').on('spend').columns(['day_start', 'source']).execute();

  await db.schema.alterTable('contacts').addColumn('source', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('campaign', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('source_first', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('source_latest', 'text').execute();
  await db.schema.createIndex('contacts_source').on('contacts').columns(['source', 'campaign']).execute();

  await sql`INSERT INTO orders (id, enrollment_id, funnel_id, contact_id, event_id, is_first, amount_minor, currency, occurred_at)
    SELECT 'or' || substr(id, 3), enrollment_id, funnel_id, contact_id, event_id, 1, CAST(round(value * 100) AS bigint), 'RUB', occurred_at
    FROM conversions`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_source').ifExists().execute();
  for (const column of ['source_latest', 'source_first', 'campaign', 'source']) {
    await db.schema.alterTable('contacts').dropColumn(column).execute();
  }
  for (const table of ['spend', 'repeat_credits', 'orders']) await db.schema.dropTable(table).ifExists().execute();
}
