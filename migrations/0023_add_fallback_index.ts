import { sql, type Kysely } from 'kysely';

/**
 * Fallbacks counted apart: a partial index over the deliveries that went out on another channel than their touch's
 * (`channel <> planned_channel`, rare), by funnel and scheduled time, so the stats read just those rows for any period.
 * The same DDL on SQLite and PostgreSQL (both understand partial indexes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX deliveries_fallbacks ON deliveries (funnel_id, scheduled_at) WHERE channel <> planned_channel`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_fallbacks').ifExists().execute();
}
