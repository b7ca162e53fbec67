import { PostgresAdapter, type Kysely } from 'kysely';

const OUTBOX_COLUMNS = ['id', 'delivery_id', 'channel', 'recipient', 'subject', 'html', 'text', 'created_at'] as const;

/** The outbox table as 0001 made it, with or without the foreign key of `delivery_id` to the ledger. */
async function createOutbox(db: Kysely<any>, name: string, ledgerKey: boolean): Promise<void> {
  await db.schema.createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => (ledgerKey ? c.notNull().unique().references('deliveries.id') : c.notNull().unique()))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('html', 'text')
    .addColumn('text', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Copies `from` into a new `to` (with or without the ledger key) and puts it in the place of `from`. */
async function rebuildOutbox(db: Kysely<any>, ledgerKey: boolean, keep: (q: any) => any = (q) => q): Promise<void> {
  await createOutbox(db, 'outbox_next', ledgerKey);
  await db.insertInto('outbox_next').columns([...OUTBOX_COLUMNS]).expression(keep(db.selectFrom('outbox').select([...OUTBOX_COLUMNS]))).execute();
  await db.schema.dropTable('outbox').execute();
  await db.schema.alterTable('outbox_next').renameTo('outbox').execute();
}

/**
 * Test contacts and test sends. `contacts.test` (0/1) marks a contact the marketer uses to try funnels: a draft funnel
 * enrolls only test contacts from its entry event and form. The dev outbox also keeps test sends, which have no ledger
 * row (their delivery id is `test:<funnel>:<touch>:<random>`), so `outbox.delivery_id` no longer references the ledger.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // SQLite cannot drop a constraint, so it copies the table; PostgreSQL drops the key (named by its default rule).
  if (isPostgres(db)) await db.schema.alterTable('outbox').dropConstraint('outbox_delivery_id_fkey').execute();
  else await rebuildOutbox(db, false);
}

/** Drops the column and puts the ledger key back (test sends in the outbox, which have no ledger row, are dropped). */
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await db.deleteFrom('outbox').where('delivery_id', 'like', 'test:%').execute();
    await db.schema.alterTable('outbox').addForeignKeyConstraint('outbox_delivery_id_fkey', ['delivery_id'], 'deliveries', ['id']).execute();
  } else {
    await rebuildOutbox(db, true, (q) => q.where('delivery_id', 'not like', 'test:%'));
  }
  await db.schema.alterTable('contacts').dropColumn('test').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
