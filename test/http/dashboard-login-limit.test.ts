import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient, setCookies } from '../browser/dashboard-client';

const PASSWORD = 'limit-test-password';
const WINDOW = 60_000;
let db: Db;
let close: () => Promise<void>;

/** A fresh dashboard allowing 3 failed logins a minute per `x-client` header. */
function dashboard(): { app: Hono; client: DashboardClient } {
  const app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: 'limit-secret-0123456789',
    outboxMode: false, now: () => T0, loginLimit: { max: 3, windowMs: WINDOW }, clientIp: (c) => c.req.header('x-client') ?? 'none',
  });
  return { app, client: new DashboardClient(app, PASSWORD) };
}

/** One login attempt from `ip` with `password`; returns the response. */
async function attempt(client: DashboardClient, ip: string, password: string): Promise<Response> {
  const h = { 'x-client': ip };
  const { jar, token } = await client.csrfPair(h);
  return client.postLogin({ csrf: token, password }, jar, h);
}

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
});
afterEach(() => vi.useRealTimers());
afterAll(async () => close?.());

describe('dashboard login limit', () => {
  it('refuses a client after too many failed attempts with 429 and Retry-After, even with the right password', async () => {
    const { client } = dashboard();
    for (let i = 0; i < 3; i++) expect((await attempt(client, '10.0.0.1', 'wrong')).status).toBe(401);
    const blocked = await attempt(client, '10.0.0.1', PASSWORD);
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(WINDOW / 1000);
    expect(setCookies(blocked).af_session).toBeUndefined();
    expect(await blocked.text()).toContain('Слишком много неудачных попыток входа. Повторите через 1 мин.');
    // Another client is not affected.
    expect((await attempt(client, '10.0.0.2', PASSWORD)).status).toBe(303);
  });

  it('forgets the failures after a successful login', async () => {
    const { client } = dashboard();
    for (let i = 0; i < 2; i++) expect((await attempt(client, '10.0.0.3', 'wrong')).status).toBe(401);
    expect((await attempt(client, '10.0.0.3', PASSWORD)).status).toBe(303);
    for (let i = 0; i < 3; i++) expect((await attempt(client, '10.0.0.3', 'wrong')).status).toBe(401);
    expect((await attempt(client, '10.0.0.3', 'wrong')).status).toBe(429);
  });

  it('lets the client try again once the window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { client } = dashboard();
    for (let i = 0; i < 3; i++) await attempt(client, '10.0.0.4', 'wrong');
    expect((await attempt(client, '10.0.0.4', PASSWORD)).status).toBe(429);
    vi.setSystemTime(T0 + WINDOW + 1000);
    expect((await attempt(client, '10.0.0.4', PASSWORD)).status).toBe(303);
  });

  it('counts stale-form posts as failures too', async () => {
    const { app } = dashboard();
    const post = () => app.request('/login', { method: 'POST', headers: { 'x-client': '10.0.0.5', 'content-type': 'application/x-www-form-urlencoded' }, body: 'password=x' });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(403);
    expect((await post()).status).toBe(429);
  });
});
