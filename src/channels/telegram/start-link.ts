import { signedContactPayload, verifyContactPayload } from '../../security/contact-payload';

const PURPOSE = 'telegram-start';

/** The /start payload for a contact: `c` + the packed id (22 chars) + MAC (22 chars); other ids travel base64url-encoded. */
export function startPayload(secretKey: string, contactId: string): string {
  try {
    return signedContactPayload(secretKey, PURPOSE, contactId);
  } catch {
    throw new Error(`telegramStartLink: contact id ${JSON.stringify(contactId)} is too long for a /start payload`);
  }
}

/**
 * The deep link that binds a Telegram chat to a contact: `https://t.me/<bot>?start=<payload>`. The payload (≤ 64
 * characters of `[A-Za-z0-9_-]`, as Telegram requires) carries the contact id and its HMAC, so nobody can make a
 * link for a contact they were not given one for.
 */
export function telegramStartLink(botUsername: string, secretKey: string, contactId: string): string {
  return `https://t.me/${botUsername.replace(/^@/, '')}?start=${startPayload(secretKey, contactId)}`;
}

/** The contact id a /start payload names when its MAC is right; null for anything forged, truncated or malformed. */
export function verifyStartPayload(secretKey: string, payload: string | undefined | null): string | null {
  return verifyContactPayload(secretKey, PURPOSE, payload);
}
