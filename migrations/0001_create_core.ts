import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Contacts, consents, funnel versions, enrollments, events, the delivery ledger, outbox and conversions. Times are
 * epoch ms in `bigint`; flags are 0/1 integers on both databases; amounts are 8-byte floats (SQLite's REAL is 8
 * bytes, PostgreSQL's 4, so there they are DOUBLE PRECISION).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const real = db.getExecutor().adapter instanceof PostgresAdapter ? 'double precision' : 'real';
  await db.schema.createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('telegram_chat_id', 'text')
    .addColumn('name', 'text')
    .addColumn('timezone', 'text')
    .addColumn('locale', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('consents')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['contact_id', 'channel'])
    .execute();

  await db.schema.createTable('funnel_versions')
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('funnel_versions_pk', ['funnel_id', 'version'])
    .execute();

  await db.schema.createTable('funnels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('current_version', 'text', (c) => c.notNull())
    .addColumn('entry_event', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_step', 'text')
    .addColumn('exit_reason', 'text')
    .addColumn('trigger_event_id', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('converted_at', 'bigint')
    .execute();
  await db.schema.createIndex('enrollments_one_active').on('enrollments').columns(['funnel_id', 'contact_id'])
    .unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('enrollments_contact').on('enrollments').columns(['contact_id', 'status']).execute();
  await db.schema.createIndex('enrollments_funnel').on('enrollments').columns(['funnel_id', 'enrolled_at']).execute();

  await db.schema.createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('value', real)
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('dispatched_at', 'bigint')
    .execute();
  await db.schema.createIndex('events_undispatched').on('events').column('received_at').where(sql.ref('dispatched_at'), 'is', null).execute();
  await db.schema.createIndex('events_contact').on('events').columns(['contact_id', 'occurred_at']).execute();

  await db.schema.createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('enrollments.id'))
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('touch_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('recipient', 'text')
    .addColumn('subject', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('opened_at', 'bigint')
    .addColumn('clicked_at', 'bigint')
    .addColumn('replied_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addUniqueConstraint('deliveries_once', ['enrollment_id', 'touch_id'])
    .execute();
  await db.schema.createIndex('deliveries_funnel').on('deliveries').columns(['funnel_id', 'touch_id', 'status']).execute();
  await db.schema.createIndex('deliveries_contact').on('deliveries').columns(['contact_id', 'touch_id']).execute();

  await db.schema.createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique().references('deliveries.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('html', 'text')
    .addColumn('text', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('conversions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().unique().references('enrollments.id'))
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('value', real, (c) => c.notNull().defaultTo(0))
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversions_funnel').on('conversions').columns(['funnel_id', 'occurred_at']).execute();

  await db.schema.createTable('attributions')
    .addColumn('conversion_id', 'text', (c) => c.notNull().references('conversions.id'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('touch_id', 'text', (c) => c.notNull())
    .addColumn('credit', real, (c) => c.notNull())
    .addColumn('revenue', real, (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('attributions_pk', ['conversion_id', 'model', 'delivery_id'])
    .execute();
  await db.schema.createIndex('attributions_funnel').on('attributions').columns(['funnel_id', 'model', 'touch_id']).execute();
}

/** Drops everything `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attributions', 'conversions', 'outbox', 'deliveries', 'events', 'enrollments', 'funnels', 'funnel_versions', 'consents', 'contacts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
