import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Two-way funnels: the answers contacts gave to `ask` steps (a quiz option, an NPS score, a free-text reply), one row
 * per (enrollment, ask), for the running quiz score, NPS per funnel and per asking touch, and the comments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const real = db.getExecutor().adapter instanceof PostgresAdapter ? 'double precision' : 'real'; // 8 bytes on both
  await db.schema.createTable('answers')
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('ask_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('score', real)
    .addColumn('comment_of', 'text')
    .addColumn('quiz', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('answers_pk', ['enrollment_id', 'ask_id'])
    .execute();
  await db.schema.createIndex('answers_funnel').on('answers').columns(['funnel_id', 'ask_id', 'answered_at']).execute();
  await db.schema.createIndex('answers_contact').on('answers').column('contact_id').execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answers').ifExists().execute();
}
