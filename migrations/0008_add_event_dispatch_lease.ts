import { sql, type Kysely } from 'kysely';

/**
 * The event dispatcher's claim: `events.dispatch_lease_until` is set when a dispatcher takes an undispatched event and
 * cleared (with `dispatched_at` set) when the event has been applied; a lease that runs out (its process died) makes
 * the event claimable again, so several servers can share the work and none loses an event. The partial index finds a
 * contact's undispatched events in order (a contact's events are dispatched one after another). The same statements
 * build the same column (bigint) and partial index on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('dispatch_lease_until', 'bigint').execute();
  await db.schema.createIndex('events_contact_undispatched').on('events').columns(['contact_id', 'received_at'])
    .where(sql.ref('dispatched_at'), 'is', null).execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_contact_undispatched').ifExists().execute();
  await db.schema.alterTable('events').dropColumn('dispatch_lease_until').execute();
}
