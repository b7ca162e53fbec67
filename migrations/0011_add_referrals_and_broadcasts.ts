import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Two-way funnels: contact merges (a merged-away id keeps resolving to the contact that survived), referral codes and
 * the referral links between contacts, and broadcasts with the snapshot of the contacts each one enrolls.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const real = db.getExecutor().adapter instanceof PostgresAdapter ? 'double precision' : 'real'; // 8 bytes on both
  await db.schema.createTable('contact_merges')
    .addColumn('merged_id', 'text', (c) => c.primaryKey())
    .addColumn('into_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_merges_into').on('contact_merges').column('into_id').execute();

  await db.schema.createTable('referral_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_codes_contact').on('referral_codes').columns(['contact_id', 'created_at']).execute();

  await db.schema.createTable('referrals')
    .addColumn('referred_id', 'text', (c) => c.primaryKey())
    .addColumn('referrer_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referrals_referrer').on('referrals').columns(['referrer_id', 'at']).execute();

  await db.schema.createTable('broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('rate_per_second', real, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('broadcasts_funnel').on('broadcasts').columns(['funnel_id', 'created_at']).execute();

  await db.schema.createTable('broadcast_members')
    .addColumn('broadcast_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('enrollment_id', 'text')
    .addColumn('at', 'bigint')
    .addPrimaryKeyConstraint('broadcast_members_pk', ['broadcast_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('broadcast_members_status').on('broadcast_members').columns(['broadcast_id', 'status', 'contact_id']).execute();
  await db.schema.createIndex('broadcast_members_contact').on('broadcast_members').column('contact_id').execute();
}

/** Drops everything `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['broadcast_members', 'broadcasts', 'referrals', 'referral_codes', 'contact_merges']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
