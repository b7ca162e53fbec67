import type { Kysely } from 'kysely';

/**
 * Moving in-flight enrollments between versions of their funnel:
 * - `enrollments.current_step_at`: when the enrollment began resting at `current_step` (a wait, or a deferred touch),
 *   which the workflow now keeps up to date; a migration preview re-times waits from it.
 * - `funnel_migrations`: one migration of a funnel's enrollments (from a version or all, onto a version, with a map of
 *   old step ids to new ones), its state and how many enrollments it has asked to move.
 * - `enrollment_migrations`: what happened to each enrollment a migration asked (moved, stayed and why, finished), once
 *   per migration and enrollment.
 * The same statements on SQLite and PostgreSQL: only kysely's schema builder with types both have (bigint, integer,
 * text), no dialect branch needed (test/migrations/schema.test.ts compares the two after every step).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('enrollments').addColumn('current_step_at', 'bigint').execute();
  await db.schema.createIndex('enrollments_version').on('enrollments').columns(['funnel_id', 'status', 'version']).execute();

  await db.schema.createTable('funnel_migrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('from_version', 'text', (c) => c.notNull())
    .addColumn('to_version', 'text', (c) => c.notNull())
    .addColumn('step_map', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('signalled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('funnel_migrations_funnel').on('funnel_migrations').columns(['funnel_id', 'created_at']).execute();

  await db.schema.createTable('enrollment_migrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('migration_id', 'text', (c) => c.notNull().references('funnel_migrations.id'))
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('funnel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('from_version', 'text', (c) => c.notNull())
    .addColumn('to_version', 'text', (c) => c.notNull())
    .addColumn('from_step', 'text')
    .addColumn('to_step', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('enrollment_migrations_once', ['migration_id', 'enrollment_id'])
    .execute();
  await db.schema.createIndex('enrollment_migrations_enrollment').on('enrollment_migrations').columns(['enrollment_id', 'at']).execute();
  await db.schema.createIndex('enrollment_migrations_contact').on('enrollment_migrations').column('contact_id').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('enrollment_migrations').execute();
  await db.schema.dropTable('funnel_migrations').execute();
  await db.schema.dropIndex('enrollments_version').ifExists().execute();
  await db.schema.alterTable('enrollments').dropColumn('current_step_at').execute();
}
