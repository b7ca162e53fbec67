import type { Kysely } from 'kysely';

/**
 * Page-click credit: a page's ledger row remembers the message (`via_delivery_id`, a delivery of the same enrollment)
 * whose tracked link brought the contact there, so attribution credits that message's click instead of the page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('via_delivery_id', 'text').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('via_delivery_id').execute();
}
