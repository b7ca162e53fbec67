import type { Db } from '../../db/database';
import type { ContactRow } from '../../db/schema';
import { recordConsent } from '../../consent/record-consent';
import { unsuppressVk } from './suppress';

/** The contact a VK user is bound to, if any (a VK user belongs to at most one live contact). */
export async function contactByVkUser(db: Db, userId: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('vk_user_id', '=', userId).where('erased_at', 'is', null).executeTakeFirst();
}

/**
 * Binds a VK user to a contact (taking the user from any other contact: one user, one contact) and records vk
 * consent with its proof — where it came from (`vk:ref`, `vk:message_allow`), the wording (what the user did), the
 * time — and lifts a suppression of the user: writing to or allowing the community is a new consent. Returns the
 * bound contact.
 */
export async function bindVkUser(db: Db, a: { contactId: string; userId: string; source: string; wording: string; at: number; secretKey: string }): Promise<ContactRow> {
  await db.updateTable('contacts').set({ vk_user_id: null, updated_at: a.at }).where('vk_user_id', '=', a.userId).where('id', '!=', a.contactId).execute();
  const contact = await db.updateTable('contacts').set({ vk_user_id: a.userId, updated_at: a.at }).where('id', '=', a.contactId).returningAll().executeTakeFirstOrThrow();
  await recordConsent(db, { contactId: a.contactId, channel: 'vk', granted: true, source: a.source, wording: a.wording, at: a.at, erasureKey: a.secretKey });
  await unsuppressVk(db, a.userId);
  return contact;
}
