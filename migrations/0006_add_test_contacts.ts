import type { Kysely } from 'kysely';

/**
 * Test contacts: `contacts.test` (0/1) marks a contact the marketer uses to try funnels. A draft funnel enrolls only
 * test contacts from its entry event and form; the flag is shown on the dashboard.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

/** Drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('test').execute();
}
