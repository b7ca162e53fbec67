import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { openMigratedDatabase, type Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { csrfToken, SESSION_TTL_MS, verifySession } from '../../src/http/dashboard/session';

const PASSWORD = 'correct horse battery';
const SECRET = 'test-secret-key-0123456789';
const T0 = Date.UTC(2025, 0, 15, 9, 0);

const plan: Plan = {
  id: 'welcome', name: 'Приветственная серия', entry: null, timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', withinMs: 86_400_000, exit: true }, attributes: [], events: [],
  steps: [{ type: 'email', id: 'hello', subject: 'Hi', text: 'x' }],
};

/** Every page behind the login; each must bounce to /login without a session. */
const PROTECTED = [
  '/dashboard',
  '/dashboard/funnels/welcome',
  '/dashboard/funnels/welcome?from=2025-01-01&to=2025-01-31',
  '/dashboard/funnels/unknown',
  '/dashboard/outbox',
  '/dashboard/anything-else',
];

let dir: string;
let db: Db;
let clock = T0;
let app: Hono;

/** Cookie name → value from a response's Set-Cookie headers (an expired cookie maps to ''). */
function setCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = /max-age=0/i.test(line) ? '' : pair.slice(eq + 1);
  }
  return out;
}

const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const hiddenCsrf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** Text with the locale's (non-breaking) spaces made plain. */
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

/** The CSRF cookie and its form token, as a browser gets them from the login page. */
async function csrfPair(): Promise<{ jar: Record<string, string>; token: string }> {
  const res = await app.request('/login');
  return { jar: { af_csrf: setCookies(res).af_csrf ?? '' }, token: hiddenCsrf(await res.text()) };
}

async function postLogin(fields: Record<string, string>, jar: Record<string, string>): Promise<Response> {
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A logged-in cookie jar. */
async function login(): Promise<Record<string, string>> {
  const { jar, token } = await csrfPair();
  const res = await postLogin({ csrf: token, password: PASSWORD }, jar);
  expect(res.status).toBe(303);
  return { ...jar, af_session: setCookies(res).af_session ?? '' };
}

const get = (url: string, jar: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(url, { headers: { cookie: cookieHeader(jar), ...headers } });

/** The cells of one touch row, by column. */
function touchRow(html: string, touchId: string): Record<string, string> {
  const row = new RegExp(`<tr data-touch="${touchId}">(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
  return Object.fromEntries([...row.matchAll(/data-col="(\w+)">([^<]*)</g)].map((m) => [m[1], plain(m[2] ?? '')]));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'autofunnel-dashboard-'));
  db = await openMigratedDatabase(path.join(dir, 'db.sqlite'));
  const at = T0 - 3_600_000;
  await db.insertInto('contacts').values([
    { id: 'ct_1', external_id: null, email: 'a@example.com', phone: null, telegram_chat_id: null, name: 'A', timezone: null, locale: null, attributes: '{}', created_at: at, updated_at: at },
    { id: 'ct_2', external_id: null, email: 'b@example.com', phone: null, telegram_chat_id: null, name: 'B', timezone: null, locale: null, attributes: '{}', created_at: at, updated_at: at },
  ]).execute();
  const enrollment = { funnel_id: 'welcome', version: 'v1', current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: at, finished_at: null, converted_at: null };
  await db.insertInto('enrollments').values([
    { ...enrollment, id: 'en_1', contact_id: 'ct_1', workflow_id: 'funnel:welcome:ct_1', status: 'active' },
    { ...enrollment, id: 'en_2', contact_id: 'ct_2', workflow_id: 'funnel:welcome:ct_2', status: 'converted', converted_at: at + 60_000 },
  ]).execute();
  const delivery = {
    funnel_id: 'welcome', touch_id: 'hello', channel: 'email', reason: null, subject: 'Hi', provider_message_id: null, attempts: 1,
    scheduled_at: at, created_at: at, sent_at: at, delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null,
  };
  await db.insertInto('deliveries').values([
    { ...delivery, id: 'dl_1', enrollment_id: 'en_1', contact_id: 'ct_1', status: 'delivered', recipient: 'a@example.com', delivered_at: at, opened_at: at + 1000 },
    { ...delivery, id: 'dl_2', enrollment_id: 'en_2', contact_id: 'ct_2', status: 'outbox', recipient: 'b@example.com' },
  ]).execute();
  await db.insertInto('outbox').values({
    id: 'ob_1', delivery_id: 'dl_2', channel: 'email', recipient: 'b@example.com', subject: 'Добро пожаловать в курс',
    html: '<p onclick="x()">Hi</p><script>alert(1)</script>', text: 'Hi in text', created_at: at,
  }).execute();
  await db.insertInto('conversions').values({ id: 'cv_1', enrollment_id: 'en_2', funnel_id: 'welcome', contact_id: 'ct_2', event_id: 'ev_1', value: 1500, occurred_at: at + 60_000 }).execute();
  await db.insertInto('attributions').values({
    conversion_id: 'cv_1', model: 'last_touch', delivery_id: 'dl_2', funnel_id: 'welcome', touch_id: 'hello', credit: 1, revenue: 1500, occurred_at: at + 60_000,
  }).execute();
  app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: SECRET, outboxMode: true, now: () => clock,
  });
});

afterAll(async () => {
  await db?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dashboard', () => {
  it('redirects every /dashboard route to /login without a session', async () => {
    for (const url of PROTECTED) {
      const res = await app.request(url);
      expect(res.status, url).toBe(302);
      expect(res.headers.get('location'), url).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    expect((await app.request('/')).headers.get('location')).toBe('/dashboard');
  });

  it('answers a wrong password with 401 and the form again', async () => {
    const { jar, token } = await csrfPair();
    const res = await postLogin({ csrf: token, password: 'nope' }, jar);
    expect(res.status).toBe(401);
    expect(setCookies(res).af_session).toBeUndefined();
    const html = await res.text();
    expect(html).toContain('Неверный пароль');
    expect(html).toContain('name="password"');
  });

  it('rejects a login without a matching CSRF token with 403', async () => {
    const { jar, token } = await csrfPair();
    expect((await postLogin({ password: PASSWORD }, jar)).status).toBe(403);
    expect((await postLogin({ csrf: token, password: PASSWORD }, {})).status).toBe(403);
    const other = await csrfPair();
    const res = await postLogin({ csrf: other.token, password: PASSWORD }, jar);
    expect(res.status).toBe(403);
    expect(setCookies(res).af_session).toBeUndefined();
  });

  it('logs in with the right password and shows the funnel and its touch numbers', async () => {
    const { jar, token } = await csrfPair();
    const res = await postLogin({ csrf: token, password: PASSWORD }, jar);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('af_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);

    const page = await get('/dashboard', { ...jar, af_session: setCookies(res).af_session ?? '' });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Приветственная серия');
    expect(html).toContain('href="/dashboard/funnels/welcome"');
    expect(touchRow(html, 'hello')).toEqual({
      sent: '1', delivered: '1', outbox: '1', opened: '1', clicked: '0', failed: '0', skipped: '0',
      converted: '1', conversionRate: '50 %', revenue: '1 500,00',
    });
    expect(plain(html)).toMatch(/<td class="num">2<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">50 %<\/td>/);
  });

  it('speaks English with ?lang=en and remembers it in a cookie', async () => {
    const jar = await login();
    const res = await get('/dashboard?lang=en', jar);
    expect(setCookies(res).af_lang).toBe('en');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Funnels overview');
    expect(html).toContain('Conversion rate');
    expect(touchRow(html, 'hello')).toMatchObject({ conversionRate: '50%', revenue: '1,500.00' });
    expect(html).toContain('href="/dashboard?lang=ru"');

    const remembered = await (await get('/dashboard', { ...jar, af_lang: 'en' })).text();
    expect(remembered).toContain('Funnels overview');
    const fromHeader = await (await get('/dashboard', jar, { 'accept-language': 'en-GB,en;q=0.9' })).text();
    expect(fromHeader).toContain('Funnels overview');
    expect(await (await get('/dashboard', jar)).text()).toContain('Обзор воронок');
  });

  it('shows a funnel page with a date range, and 404 for an unknown funnel', async () => {
    const jar = await login();
    const all = await (await get('/dashboard/funnels/welcome', jar)).text();
    expect(touchRow(all, 'hello')).toMatchObject({ sent: '1', outbox: '1', converted: '1' });
    const later = await (await get('/dashboard/funnels/welcome?from=2025-02-01&to=2025-02-28', jar)).text();
    expect(later).toContain('value="2025-02-01"');
    expect(touchRow(later, 'hello')).toMatchObject({ sent: '0', outbox: '0', converted: '0' });
    const bad = await (await get('/dashboard/funnels/welcome?from=2025-02-31', jar)).text();
    expect(bad).toContain('ГГГГ-ММ-ДД');
    const missing = await get('/dashboard/funnels/unknown', jar);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Воронка не найдена');
  });

  it('lists outbox emails with the banner and never renders their HTML', async () => {
    const jar = await login();
    const html = await (await get('/dashboard/outbox', jar)).text();
    expect(html).toContain('Добро пожаловать в курс');
    expect(html).toContain('b@example.com');
    expect(html).toContain('<code>hello</code>');
    expect(html).toContain('Режим outbox: письма не отправляются, а сохраняются здесь (SMTP_URL не задан)');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const en = await (await get('/dashboard/outbox?lang=en', jar)).text();
    expect(en).toContain('Outbox mode: emails are stored here, not sent (SMTP_URL is not set)');
  });

  it('rejects a tampered or expired session cookie', async () => {
    const jar = await login();
    const session = jar.af_session ?? '';
    const [expiry = '', sig = ''] = session.split('.');
    const flipped = `${expiry}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    for (const forged of [flipped, `${Number(expiry) + 1}.${sig}`, 'garbage', '']) {
      expect((await get('/dashboard', { ...jar, af_session: forged })).status, forged).toBe(302);
    }
    clock = T0 + SESSION_TTL_MS + 1;
    try {
      expect((await get('/dashboard', jar)).status).toBe(302);
    } finally {
      clock = T0;
    }
  });

  it('redirects to a local next path only', async () => {
    const { jar, token } = await csrfPair();
    const local = await postLogin({ csrf: token, password: PASSWORD, next: '/dashboard/outbox' }, jar);
    expect(local.headers.get('location')).toBe('/dashboard/outbox');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await postLogin({ csrf: token, password: PASSWORD, next }, jar);
      expect(res.headers.get('location'), next).toBe('/dashboard');
    }
  });

  it('logs out with a valid CSRF token only', async () => {
    const jar = await login();
    const post = (fields: Record<string, string>) => app.request('/logout', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
      body: new URLSearchParams(fields).toString(),
    });
    expect((await post({})).status).toBe(403);
    const token = hiddenCsrf(await (await get('/dashboard', jar)).text());
    const res = await post({ csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(setCookies(res).af_session).toBe('');
  });
});

describe('dashboard session', () => {
  it('does not accept a CSRF token as a session signature', () => {
    const expiry = String(T0 + 3_600_000);
    expect(verifySession(SECRET, `${expiry}.${csrfToken(SECRET, expiry)}`, T0)).toBe(false);
  });
});
