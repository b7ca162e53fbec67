import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** Cookie that carries the owner's signed session. */
export const SESSION_COOKIE = 'af_session';
/** Cookie that carries the random half of the double-submit CSRF pair. */
export const CSRF_COOKIE = 'af_csrf';
/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// Each HMAC is bound to its purpose: the login page shows HMAC(csrf cookie) to anyone, so without the
// prefix a visitor could send `af_csrf=<far-future expiry>` and read a valid session signature off the form.
const sign = (key: string, purpose: 'session' | 'csrf', value: string) =>
  createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url');

/** Compares two strings in time independent of where (or whether) they differ. */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** True when the given password is the (non-empty) admin password; timing-safe. */
export function passwordMatches(given: string, adminPassword: string): boolean {
  return adminPassword.length > 0 && safeEqual(given, adminPassword);
}

/** A session value `<expiry ms>.<signature>` valid for SESSION_TTL_MS from `now`. */
export function signSession(secretKey: string, now: number): string {
  const expiry = String(now + SESSION_TTL_MS);
  return `${expiry}.${sign(secretKey, 'session', expiry)}`;
}

/** True only for an untampered session value that has not expired at `now`. */
export function verifySession(secretKey: string, value: string | undefined, now: number): boolean {
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match?.[1] || !match[2]) return false;
  const expiry = Number(match[1]);
  if (!safeEqual(match[2], sign(secretKey, 'session', match[1]))) return false;
  return expiry > now && expiry <= now + SESSION_TTL_MS;
}

/** The hidden-field token that pairs with a CSRF cookie value. */
export function csrfToken(secretKey: string, cookieValue: string): string {
  return sign(secretKey, 'csrf', cookieValue);
}

/** True when the form token is the HMAC of the request's CSRF cookie. */
export function csrfMatches(secretKey: string, cookieValue: string | undefined, token: unknown): boolean {
  if (!cookieValue || !isCsrfValue(cookieValue) || typeof token !== 'string') return false;
  return safeEqual(token, csrfToken(secretKey, cookieValue));
}

const isCsrfValue = (v: string) => /^[A-Za-z0-9_-]{43}$/.test(v);

/** A redirect target that stays on this site: a local absolute path, else `/dashboard`. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\\]/.test(next)) return '/dashboard';
  const url = new URL(next, 'http://local.invalid');
  return url.origin === 'http://local.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/dashboard';
}

const cookieBase = (c: Context) => ({
  path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: new URL(c.req.url).protocol === 'https:',
});

/** True when the request carries a valid, unexpired session cookie. */
export function hasSession(c: Context, secretKey: string, now: number): boolean {
  return verifySession(secretKey, getCookie(c, SESSION_COOKIE), now);
}

/** Sets the session cookie on the response. */
export function startSession(c: Context, secretKey: string, now: number): void {
  setCookie(c, SESSION_COOKIE, signSession(secretKey, now), { ...cookieBase(c), maxAge: SESSION_TTL_MS / 1000 });
}

/** Clears the session cookie. */
export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, cookieBase(c));
}

/** The request's CSRF form token, setting a fresh random CSRF cookie first when there is no usable one. */
export function ensureCsrf(c: Context, secretKey: string): string {
  let value = getCookie(c, CSRF_COOKIE);
  if (!value || !isCsrfValue(value)) {
    value = randomBytes(32).toString('base64url');
    setCookie(c, CSRF_COOKIE, value, cookieBase(c));
  }
  return csrfToken(secretKey, value);
}

/** True when a posted form's `csrf` field matches the request's CSRF cookie. */
export function formCsrfOk(c: Context, secretKey: string, field: unknown): boolean {
  return csrfMatches(secretKey, getCookie(c, CSRF_COOKIE), field);
}
