import { signedContactPayload, verifyContactPayload } from '../../security/contact-payload';

const PURPOSE = 'vk-ref';

/**
 * The link that binds a VK user to a contact: `https://vk.me/<community>?ref=<payload>`. VK hands the `ref` back in
 * the `message_new` the user then writes (and a widget's `key` in `message_allow`); the payload carries the contact
 * id and its HMAC, so nobody can make a link for a contact they were not given one for.
 */
export function vkRefLink(community: string, secretKey: string, contactId: string): string {
  return `https://vk.me/${community.replace(/^@/, '')}?ref=${vkRefPayload(secretKey, contactId)}`;
}

/** The signed `ref` for a contact (≤ 64 characters of `[A-Za-z0-9_-]`). */
export function vkRefPayload(secretKey: string, contactId: string): string {
  return signedContactPayload(secretKey, PURPOSE, contactId);
}

/** The contact a `ref` (or widget `key`) names when its MAC is right; null for anything else. */
export function verifyVkRef(secretKey: string, ref: string | undefined | null): string | null {
  return verifyContactPayload(secretKey, PURPOSE, ref);
}
