import type { Kysely } from 'kysely';

/**
 * VK community messages: the VK user id a contact is bound to (by the `vk.me/<community>?ref=` link, or given through
 * the API), unique among contacts like the Telegram chat id. The same DDL on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('vk_user_id', 'text').execute();
  await db.schema.createIndex('contacts_vk_user').on('contacts').column('vk_user_id').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_vk_user').ifExists().execute();
  await db.schema.alterTable('contacts').dropColumn('vk_user_id').execute();
}
