import type { ContactRow } from '../db/schema';

/** The channels a contact has an address on, each with the contact field that holds it. */
export const ADDRESS_FIELDS = { email: 'email', sms: 'phone', telegram: 'telegram_chat_id', vk: 'vk_user_id' } as const satisfies Record<string, keyof ContactRow>;
/** A channel that delivers to an address of the contact. */
export type AddressChannel = keyof typeof ADDRESS_FIELDS;

/** The contact's address on a channel (email, phone, Telegram chat id, VK user id), or null when it has none. */
export function addressOn(contact: Pick<ContactRow, 'email' | 'phone' | 'telegram_chat_id' | 'vk_user_id'>, channel: string): string | null {
  const field = ADDRESS_FIELDS[channel as AddressChannel];
  return field ? contact[field] : null;
}
