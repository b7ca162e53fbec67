import { timingSafeEqual } from 'node:crypto';
import { mac } from './signed-token';

const MAC_CHARS = 22;
const MAX_PAYLOAD = 64;
const STANDARD_CONTACT = /^ct_([0-9a-f]{32})$/;
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A short signed payload naming a contact (≤ 64 characters of `[A-Za-z0-9_-]`, what Telegram's /start and VK's `ref`
 * accept): `c` + the packed id (22 chars) + its MAC for `purpose` (22 chars); other ids travel base64url-encoded.
 * Throws for an id too long to fit.
 */
export function signedContactPayload(secretKey: string, purpose: string, contactId: string): string {
  const standard = STANDARD_CONTACT.exec(contactId);
  const body = standard ? `c${Buffer.from(standard[1]!, 'hex').toString('base64url')}` : `r${Buffer.from(contactId).toString('base64url')}`;
  const payload = `${body}${mac(secretKey, purpose, contactId)}`;
  if (payload.length > MAX_PAYLOAD) throw new Error(`contact id ${JSON.stringify(contactId)} is too long for a ${MAX_PAYLOAD}-character signed payload`);
  return payload;
}

function decodeBody(body: string): string | null {
  const kind = body[0];
  const rest = body.slice(1);
  if (kind === 'c') {
    if (rest.length !== 22) return null;
    const bytes = Buffer.from(rest, 'base64url');
    if (bytes.length !== 16 || bytes.toString('base64url') !== rest) return null;
    return `ct_${bytes.toString('hex')}`;
  }
  if (kind === 'r' && rest.length > 0) {
    const id = Buffer.from(rest, 'base64url').toString('utf8');
    return Buffer.from(id).toString('base64url') === rest ? id : null;
  }
  return null;
}

/** The contact id a payload names when its MAC for `purpose` is right; null for anything forged, truncated or malformed. */
export function verifyContactPayload(secretKey: string, purpose: string, payload: string | undefined | null): string | null {
  if (!payload || !PAYLOAD.test(payload) || payload.length <= MAC_CHARS + 1) return null;
  const contactId = decodeBody(payload.slice(0, -MAC_CHARS));
  if (contactId === null) return null;
  const given = Buffer.from(payload.slice(-MAC_CHARS));
  const expected = Buffer.from(mac(secretKey, purpose, contactId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? contactId : null;
}
