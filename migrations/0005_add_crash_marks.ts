import { sql, type Kysely } from 'kysely';

/**
 * Marks that let the engine notice what a crash interrupted:
 * - `enrollments.workflow_started_at`: when Temporal accepted the enrollment's workflow. An active enrollment without
 *   it (a crash between the row and the start) is found by the server's sweep, which starts the workflow. Enrollments
 *   that already ended are marked started; active ones are left for the first sweep to check against Temporal.
 * - `deliveries.sending_since`: set when an attempt claims the send, cleared when the attempt's outcome is known. The
 *   next attempt that finds it set knows the previous one died between handing the message over and recording it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('enrollments').addColumn('workflow_started_at', 'bigint').execute();
  await db.updateTable('enrollments').set({ workflow_started_at: sql.ref('enrolled_at') }).where('status', '<>', 'active').execute();
  await db.schema.createIndex('enrollments_unstarted').on('enrollments').column('enrolled_at')
    .where(sql.ref('workflow_started_at'), 'is', null).execute();
  await db.schema.alterTable('deliveries').addColumn('sending_since', 'bigint').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('sending_since').execute();
  await db.schema.dropIndex('enrollments_unstarted').ifExists().execute();
  await db.schema.alterTable('enrollments').dropColumn('workflow_started_at').execute();
}
