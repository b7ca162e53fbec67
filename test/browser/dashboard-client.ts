import { expect } from 'vitest';
import type { Hono } from 'hono';

/** Cookie name → value from a response's Set-Cookie headers (an expired cookie maps to ''). */
export function setCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = /max-age=0/i.test(line) ? '' : pair.slice(eq + 1);
  }
  return out;
}

/** A Cookie header for a jar. */
export const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
/** The hidden CSRF field of a page. */
export const hiddenCsrf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** Text with the locale's (non-breaking) spaces made plain. */
export const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

/** The text cells of the first row carrying `attr="value"`, by their data-col (tags inside a cell are dropped). */
export function rowCells(html: string, attr: string, value: string): Record<string, string> {
  const row = new RegExp(`<tr ${attr}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
  return Object.fromEntries([...row.matchAll(/data-col="(\w+)">(.*?)<\/td>/gs)].map((m) => [m[1], plain((m[2] ?? '').replace(/<[^>]+>/g, '')).trim()]));
}

/** Drives a dashboard app through `app.request()` like a browser: cookies, the CSRF field, the login form. */
export class DashboardClient {
  constructor(private readonly app: Hono, private readonly password: string) {}

  /** The CSRF cookie and its form token, as a browser gets them from the login page. */
  async csrfPair(headers: Record<string, string> = {}): Promise<{ jar: Record<string, string>; token: string }> {
    const res = await this.app.request('/login', { headers });
    return { jar: { af_csrf: setCookies(res).af_csrf ?? '' }, token: hiddenCsrf(await res.text()) };
  }

  /** Posts the login form with the given fields and cookies. */
  async postLogin(fields: Record<string, string>, jar: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** A logged-in cookie jar. */
  async login(headers: Record<string, string> = {}): Promise<Record<string, string>> {
    const { jar, token } = await this.csrfPair(headers);
    const res = await this.postLogin({ csrf: token, password: this.password }, jar, headers);
    expect(res.status).toBe(303);
    return { ...jar, af_session: setCookies(res).af_session ?? '' };
  }

  /** A GET with the jar's cookies. */
  async get(url: string, jar: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.request(url, { headers: { cookie: cookieHeader(jar), ...headers } });
  }

  /** The HTML of a page that must answer 200. */
  async page(url: string, jar: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
    const res = await this.get(url, jar, headers);
    expect(res.status, url).toBe(200);
    return res.text();
  }
}
