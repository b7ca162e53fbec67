import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Everything the multi-channel funnel needs: ledger columns for SMS cost, deferrals and fallbacks; the touch log
 * (every skip, deferral, fallback with its reason); consent proof; suppressions; tracked links; webinars and
 * each contact's session; split assignments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const real = db.getExecutor().adapter instanceof PostgresAdapter ? 'double precision' : 'real'; // 8 bytes on both
  for (const [name, type] of [
    ['planned_channel', 'text'], ['segments', 'integer'], ['cost', real], ['deferred_until', 'bigint'],
    ['unsubscribed_at', 'bigint'], ['variant', 'text'], ['priority', 'integer'],
  ] as const) {
    await db.schema.alterTable('deliveries').addColumn(name, type).execute();
  }
  await db.schema.createIndex('deliveries_provider_message').on('deliveries').columns(['channel', 'provider_message_id']).execute();
  await db.schema.createIndex('deliveries_contact_sent').on('deliveries').columns(['contact_id', 'sent_at']).execute();

  await db.schema.createTable('touch_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('touch_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('touch_log_delivery').on('touch_log').columns(['delivery_id', 'at']).execute();
  await db.schema.createIndex('touch_log_funnel').on('touch_log').columns(['funnel_id', 'touch_id', 'kind']).execute();

  await db.schema.createTable('consent_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('wording', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_log_contact').on('consent_log').columns(['contact_id', 'at']).execute();

  await db.schema.createTable('suppressions')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('suppressions_pk', ['channel', 'address'])
    .execute();

  await db.schema.createTable('links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('links_delivery').on('links').column('delivery_id').execute();

  await db.schema.createTable('webinars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint')
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('join_url', 'text', (c) => c.notNull())
    .addColumn('replay_url', 'text')
    .addColumn('schedule', 'text')
    .addColumn('min_lead_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('moved_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('webinar_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webinar_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('registered_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('minutes', 'integer')
    .addColumn('stayed_to_offer', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webinar_sessions_once', ['webinar_id', 'contact_id'])
    .execute();

  await db.schema.createTable('split_assignments')
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('split_id', 'text', (c) => c.notNull())
    .addColumn('variant_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('split_assignments_pk', ['enrollment_id', 'split_id'])
    .execute();
  await db.schema.createIndex('split_assignments_funnel').on('split_assignments').columns(['funnel_id', 'split_id']).execute();
}

/** Drops everything `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['split_assignments', 'webinar_sessions', 'webinars', 'links', 'suppressions', 'consent_log', 'touch_log']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.dropIndex('deliveries_contact_sent').ifExists().execute();
  await db.schema.dropIndex('deliveries_provider_message').ifExists().execute();
  for (const c of ['priority', 'variant', 'unsubscribed_at', 'deferred_until', 'cost', 'segments', 'planned_channel']) {
    await db.schema.alterTable('deliveries').dropColumn(c).execute();
  }
}
