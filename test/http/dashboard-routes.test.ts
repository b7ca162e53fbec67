import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { SESSION_TTL_MS, signSession } from '../../src/http/dashboard/session';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient, cookieHeader } from '../browser/dashboard-client';

const PASSWORD = 'route-test-password';
const SECRET = 'route-test-secret-0123456789';
/** The only routes reachable without a session; anything else public must be added here on purpose. */
const PUBLIC = ['GET /', 'GET /login', 'POST /login', 'POST /logout'];

let db: Db;
let close: () => Promise<void>;
let app: Hono;

/** A concrete URL for a route pattern, using ids that exist so an authorised request reaches the real handler. */
function concrete(path: string): string {
  return path
    .replace('/funnels/:id', '/funnels/course')
    .replace('/contacts/:id', '/contacts/ct_1')
    .replace('/outbox/:id', '/outbox/ob_1')
    .replace(/\/\*$/, '/no-such-page');
}

/** Every route the dashboard registers (middleware excluded), as "METHOD path". */
function registered(): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) if (r.method !== 'ALL') seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  return [...seen.values()];
}

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: SECRET, outboxMode: true, now: () => T0,
  });
});

afterAll(async () => close?.());

describe('dashboard routes', () => {
  it('registers the pages and CSV files it promises', () => {
    const names = registered().map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'GET /dashboard', 'GET /dashboard/funnels.csv', 'GET /dashboard/funnels/:id', 'GET /dashboard/funnels/:id/touches.csv',
      'GET /dashboard/funnels/:id/reasons.csv', 'GET /dashboard/funnels/:id/splits.csv', 'GET /dashboard/funnels/:id/holdouts.csv',
      'GET /dashboard/funnels/:id/preview',
      'GET /dashboard/contacts', 'GET /dashboard/contacts.csv', 'GET /dashboard/contacts/:id', 'GET /dashboard/contacts/:id/timeline.csv',
      'GET /dashboard/outbox', 'GET /dashboard/outbox.csv', 'GET /dashboard/outbox/:id/frame', ...PUBLIC,
    ]) expect(names).toContain(expected);
  });

  it('has no public route besides login, logout and the root redirect', () => {
    const open = registered().filter((r) => !r.path.startsWith('/dashboard')).map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([...PUBLIC].sort());
  });

  it('sends every /dashboard GET to /login without a valid session, and serves it with one', async () => {
    const gets = registered().filter((r) => r.method === 'GET' && r.path.startsWith('/dashboard'));
    expect(gets.length).toBeGreaterThanOrEqual(15);
    const expired = signSession(SECRET, T0 - SESSION_TTL_MS - 1);
    const foreign = signSession('another-secret-key', T0);
    const client = new DashboardClient(app, PASSWORD);
    const jar = await client.login();
    for (const { path } of gets) {
      const url = concrete(path);
      for (const cookie of [undefined, `af_session=${expired}`, `af_session=${foreign}`, 'af_session=garbage']) {
        const res = await app.request(url, { headers: cookie ? { cookie } : {} });
        expect(res.status, `${url} with ${cookie ?? 'no cookie'}`).toBe(302);
        expect(res.headers.get('location'), url).toBe(`/login?next=${encodeURIComponent(url)}`);
        expect(await res.text(), url).not.toContain('<table');
      }
      const authed = await client.get(url, jar);
      expect([200, 404], url).toContain(authed.status);
      if (!path.endsWith('*')) expect(authed.status, url).toBe(200);
    }
  });

  it('refuses every POST without a session and a matching CSRF token', async () => {
    const all = registered().filter((r) => r.method === 'POST');
    expect(all.map((r) => r.path).sort()).toEqual(['/dashboard/contacts/:id/touches', '/dashboard/funnels/:id/migrations', '/dashboard/funnels/:id/touches/:touchId/test', '/login', '/logout']);
    const posts = all.filter((r) => !r.path.startsWith('/dashboard'));
    const client = new DashboardClient(app, PASSWORD);
    const { jar } = await client.csrfPair();
    // A dashboard POST (the test send) meets the session guard first, then the CSRF check.
    const testSend = concrete('/dashboard/funnels/:id/touches/:touchId/test').replace(':touchId', 'welcome');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const anonymous = await app.request(testSend, { method: 'POST', headers: { ...form, cookie: `af_csrf=${jar.af_csrf}` }, body: 'csrf=x&to=a%40example.test' });
    expect(anonymous.status).toBe(302);
    const session = await client.login();
    const forged = await app.request(testSend, { method: 'POST', headers: { ...form, cookie: cookieHeader(session) }, body: 'csrf=forged&to=a%40example.test' });
    expect(forged.status).toBe(403);
    // So does applying a migration.
    const migrate = concrete('/dashboard/funnels/:id/migrations');
    expect((await app.request(migrate, { method: 'POST', headers: { ...form, cookie: `af_csrf=${jar.af_csrf}` }, body: 'csrf=x&from=all' })).status).toBe(302);
    expect((await app.request(migrate, { method: 'POST', headers: { ...form, cookie: cookieHeader(session) }, body: 'csrf=forged&from=all' })).status).toBe(403);
    // So does logging a staff touch on a contact's page.
    const logTouch = concrete('/dashboard/contacts/:id/touches');
    const anonymousTouch = await app.request(logTouch, { method: 'POST', headers: { ...form, cookie: `af_csrf=${jar.af_csrf}` }, body: 'csrf=x&kind=call&by=Ivan' });
    expect(anonymousTouch.status).toBe(302);
    const forgedTouch = await app.request(logTouch, { method: 'POST', headers: { ...form, cookie: cookieHeader(session) }, body: 'csrf=forged&kind=call&by=Ivan' });
    expect(forgedTouch.status).toBe(403);
    for (const { path } of posts) {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const bare = await app.request(path, { method: 'POST', headers: form, body: `password=${PASSWORD}` });
      expect(bare.status, path).toBe(403);
      const wrongToken = await app.request(path, {
        method: 'POST', headers: { ...form, cookie: `af_csrf=${jar.af_csrf}` }, body: `csrf=forged&password=${PASSWORD}`,
      });
      expect(wrongToken.status, path).toBe(403);
      expect(wrongToken.headers.getSetCookie().some((c) => c.startsWith('af_session='))).toBe(false);
    }
    // Any POST under /dashboard meets the session guard before anything else.
    const stray = await app.request('/dashboard/funnels/course', { method: 'POST', body: '' });
    expect(stray.status).toBe(302);
  });
});
