import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_LENGTH = 22; // 132 bits of HMAC-SHA256, base64url

/** The HMAC of `value` for one purpose (a link kind); a token signed for one purpose never verifies for another. */
export function mac(secretKey: string, purpose: string, value: string): string {
  return createHmac('sha256', secretKey).update(`${purpose}\n${value}`).digest('base64url').slice(0, MAC_LENGTH);
}

/** A URL-safe token carrying `value` (which must not contain '.') and its MAC: `<value>.<mac>`. */
export function signToken(secretKey: string, purpose: string, value: string): string {
  if (value.includes('.')) throw new Error('signToken: value must not contain "."');
  return `${value}.${mac(secretKey, purpose, value)}`;
}

/** The value a token carries when its MAC is right for this purpose; null for anything forged, truncated or foreign. */
export function verifyToken(secretKey: string, purpose: string, token: string | undefined | null): string | null {
  if (!token) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = token.slice(0, dot);
  const expected = Buffer.from(mac(secretKey, purpose, value));
  const given = Buffer.from(token.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
