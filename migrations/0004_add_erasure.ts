import type { Kysely } from 'kysely';

/**
 * Erasure (152-FZ art. 21, GDPR art. 17): `contacts.erased_at` marks a contact whose personal data was erased. The row
 * stays, emptied, so the ledger, conversions and rollups keep their numbers; lookups treat it as gone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('erased_at', 'bigint').execute();
}

/** Drops the column `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('erased_at').execute();
}
