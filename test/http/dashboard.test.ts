import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { csrfToken, SESSION_TTL_MS, verifySession } from '../../src/http/dashboard/session';
import { coursePlan, openSeededDb, T0, TRUTH } from '../browser/seed-dashboard';
import { cookieHeader, DashboardClient, hiddenCsrf, plain, rowCells, setCookies } from '../browser/dashboard-client';

/** A touch's cells: its row and its detail row (where the rare figures fold). */
const touchRow = (html: string, id: string) => ({ ...rowCells(html, 'data-touch', id), ...rowCells(html, 'data-touch-detail', id) });

const PASSWORD = 'correct horse battery';
const SECRET = 'test-secret-key-0123456789';

let db: Db;
let close: () => Promise<void>;
let clock = T0;
let app: Hono;
let client: DashboardClient;

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: SECRET,
    outboxChannels: ['email', 'sms'], now: () => clock,
    // Each test posts from its own "address" so the login limit never interferes with what a test checks.
    clientIp: (c) => c.req.header('x-test-client') ?? 'default',
  });
  client = new DashboardClient(app, PASSWORD);
});

afterAll(async () => close?.());

describe('dashboard', () => {
  it('redirects /dashboard pages to /login without a session, keeping the page as next', async () => {
    for (const url of ['/dashboard', '/dashboard/funnels/course?from=2025-01-01&to=2025-01-31', '/dashboard/contacts/ct_1', '/dashboard/anything-else']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(302);
      expect(res.headers.get('location'), url).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    expect((await app.request('/')).headers.get('location')).toBe('/dashboard');
  });

  it('answers a wrong password with 401 and the form again', async () => {
    const h = { 'x-test-client': 'wrong-password' };
    const { jar, token } = await client.csrfPair(h);
    const res = await client.postLogin({ csrf: token, password: 'nope' }, jar, h);
    expect(res.status).toBe(401);
    expect(setCookies(res).af_session).toBeUndefined();
    const html = await res.text();
    expect(html).toContain('Неверный пароль');
    expect(html).toContain('name="password"');
  });

  it('rejects a login without a matching CSRF token with 403', async () => {
    const h = { 'x-test-client': 'csrf' };
    const { jar, token } = await client.csrfPair(h);
    expect((await client.postLogin({ password: PASSWORD }, jar, h)).status).toBe(403);
    expect((await client.postLogin({ csrf: token, password: PASSWORD }, {}, h)).status).toBe(403);
    const other = await client.csrfPair(h);
    const res = await client.postLogin({ csrf: other.token, password: PASSWORD }, jar, h);
    expect(res.status).toBe(403);
    expect(setCookies(res).af_session).toBeUndefined();
  });

  it('logs in with the right password and shows the funnels with their numbers', async () => {
    const { jar, token } = await client.csrfPair();
    const res = await client.postLogin({ csrf: token, password: PASSWORD }, jar);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('af_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);

    const page = await client.get('/dashboard', { ...jar, af_session: setCookies(res).af_session ?? '' });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Курс «Python с нуля»');
    expect(html).toContain('href="/dashboard/funnels/course"');
    expect(rowCells(html, 'data-funnel', 'course')).toMatchObject({
      enrolled: '6', active: '4', converted: '2', conversionRate: '33,3 %', revenue: '3 500,00',
    });
    const w = TRUTH.welcome;
    expect(touchRow(html, 'welcome')).toMatchObject({
      sent: String(w.sent), delivered: String(w.delivered), outbox: String(w.outbox), opened: String(w.opened),
      clicked: String(w.clicked), skipped: String(w.skipped), converted: '0',
    });
    expect(html).toContain('name="q"'); // the contact search box
  });

  it('speaks English with ?lang=en, remembers it in a cookie, and follows Accept-Language', async () => {
    const jar = await client.login();
    const res = await client.get('/dashboard?lang=en', jar);
    expect(setCookies(res).af_lang).toBe('en');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Funnels overview');
    expect(html).toContain('Conversion rate');
    expect(rowCells(html, 'data-funnel', 'course')).toMatchObject({ conversionRate: '33.3%', revenue: '3,500.00' });
    expect(html).toContain('href="/dashboard?lang=ru"');

    expect(await (await client.get('/dashboard', { ...jar, af_lang: 'en' })).text()).toContain('Funnels overview');
    expect(await (await client.get('/dashboard', jar, { 'accept-language': 'en-GB,en;q=0.9' })).text()).toContain('Funnels overview');
    expect(await (await client.get('/dashboard', jar)).text()).toContain('Обзор воронок');
  });

  it('shows a funnel page over a date range, and 404 for an unknown funnel', async () => {
    const jar = await client.login();
    const all = await client.page('/dashboard/funnels/course', jar);
    expect(touchRow(all, 'welcome')).toMatchObject({ sent: '4', outbox: '1' });
    const later = await client.page('/dashboard/funnels/course?from=2025-02-01&to=2025-02-28', jar);
    expect(later).toContain('value="2025-02-01"');
    expect(touchRow(later, 'welcome')).toMatchObject({ sent: '0', outbox: '0', converted: '0' });
    expect(rowCells(later, 'data-funnel', 'course')).toMatchObject({ enrolled: '0' });
    expect(await client.page('/dashboard/funnels/course?from=2025-02-31', jar)).toContain('ГГГГ-ММ-ДД');
    const missing = await client.get('/dashboard/funnels/unknown', jar);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Воронка не найдена');
  });

  it('lists outbox messages of every channel with the banner, links their contacts, never renders their HTML', async () => {
    const jar = await client.login();
    const html = await client.page('/dashboard/outbox', jar);
    expect(plain(html)).toContain('Тестовый режим: сообщения не отправляются, а сохраняются в тестовом ящике. Каналы: email, sms');
    expect(rowCells(html, 'data-outbox', 'ob_1')).toMatchObject({ channel: 'email', recipient: 'darya@example.ru', subject: 'Добро пожаловать', touchId: 'welcome' });
    expect(rowCells(html, 'data-outbox', 'ob_2')).toMatchObject({ channel: 'sms', recipient: '+79001234567', touchId: 'reminder' });
    expect(html).toContain('href="/dashboard/contacts/ct_5"');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const sms = await client.page('/dashboard/outbox?channel=sms', jar);
    expect(sms).toContain('data-outbox="ob_2"');
    expect(sms).not.toContain('data-outbox="ob_1"');
    const en = await client.page('/dashboard/outbox?lang=en', jar);
    expect(plain(en)).toContain('Outbox mode: messages are stored on the Outbox page, not sent. Channels: email, sms');
  });

  it('rejects a tampered or expired session cookie', async () => {
    const jar = await client.login();
    const session = jar.af_session ?? '';
    const [expiry = '', sig = ''] = session.split('.');
    const flipped = `${expiry}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    for (const forged of [flipped, `${Number(expiry) + 1}.${sig}`, 'garbage', '']) {
      expect((await client.get('/dashboard', { ...jar, af_session: forged })).status, forged).toBe(302);
    }
    clock = T0 + SESSION_TTL_MS + 1;
    try {
      expect((await client.get('/dashboard', jar)).status).toBe(302);
    } finally {
      clock = T0;
    }
  });

  it('redirects to a local next path only', async () => {
    const h = { 'x-test-client': 'next' };
    const { jar, token } = await client.csrfPair(h);
    const local = await client.postLogin({ csrf: token, password: PASSWORD, next: '/dashboard/outbox' }, jar, h);
    expect(local.headers.get('location')).toBe('/dashboard/outbox');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await client.postLogin({ csrf: token, password: PASSWORD, next }, jar, h);
      expect(res.headers.get('location'), next).toBe('/dashboard');
    }
  });

  it('logs out with a valid CSRF token only', async () => {
    const jar = await client.login();
    const post = (fields: Record<string, string>) => app.request('/logout', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
      body: new URLSearchParams(fields).toString(),
    });
    expect((await post({})).status).toBe(403);
    const token = hiddenCsrf(await (await client.get('/dashboard', jar)).text());
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
