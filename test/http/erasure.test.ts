import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { UnavailableError } from '../../src/errors';
import { manualPlan, welcomePlan } from './test-app';
import { FakeGateway } from '../helpers/fake-gateway';
import { SERVED, startServedApp, type ServedTestApp } from '../helpers/served-app';
import { cookieHeader, DashboardClient, hiddenCsrf } from '../browser/dashboard-client';

// Erasure through the API and through the dashboard, over the served app on a loopback port (fake Temporal).
describe('erasure (DELETE /api/contacts/:id, the dashboard action)', () => {
  let s: ServedTestApp;
  let gateway: FakeGateway;
  let anna: string;
  beforeEach(async () => {
    gateway = new FakeGateway();
    s = await startServedApp({ plans: [welcomePlan, manualPlan], gateway });
    anna = (await s.api('POST', '/api/contacts', { email: 'anna@example.test', name: 'Анна', consent: { email: true } })).json.id;
    expect((await s.api('POST', '/api/funnels/manual/enrollments', { contactId: anna })).status).toBe(201);
  });
  afterEach(() => s?.stop());
  const row = () => s.db.selectFrom('contacts').selectAll().where('id', '=', anna).executeTakeFirstOrThrow();

  it('ends the contact\'s workflows and answers 204; then the contact is 404 everywhere', async () => {
    const res = await s.api('DELETE', `/api/contacts/${anna}`);
    expect([res.status, res.text]).toEqual([204, '']);
    expect(gateway.ended).toEqual([{ workflowId: `funnel:manual:${anna}`, reason: 'contact erased' }]);
    for (const path of [`/api/contacts/${anna}`, `/api/contacts/${anna}/export`, `/api/contacts/${anna}/consents`]) {
      expect((await s.api('GET', path)).status, path).toBe(404);
    }
    expect((await s.api('DELETE', `/api/contacts/${anna}`)).status).toBe(404);
    expect(await row()).toMatchObject({ email: null, name: null, attributes: '{}', erased_at: expect.any(Number) });
  });

  it('answers 503 and erases nothing while Temporal is unreachable', async () => {
    gateway.endError = new UnavailableError('temporal: terminate failed: connection refused');
    const before = await row();
    const res = await s.api('DELETE', `/api/contacts/${anna}`);
    expect([res.status, res.json.error.code]).toEqual([503, 'unavailable']);
    expect(await row()).toEqual(before);
    expect(await s.counts('consent_log', 'suppressions')).toEqual({ consent_log: 1, suppressions: 0 });
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await s.api('DELETE', '/api/contacts/ct_nope');
    expect([res.status, res.json.error.code]).toEqual([404, 'not_found']);
  });

  describe('the dashboard action', () => {
    const browser = () => {
      const shim = { request: (url: string, init?: RequestInit) => fetch(`${s.url}${url}`, { ...init, redirect: 'manual' }) };
      return new DashboardClient(shim as unknown as Hono, SERVED.adminPassword);
    };
    const post = (jar: Record<string, string>, fields: Record<string, string>) => fetch(`${s.url}/dashboard/contacts/${anna}/erase`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    });

    it('is a link on the contact page to a confirmation; the form needs the session, its CSRF token and the ticked box', async () => {
      const client = browser();
      const jar = await client.login();
      const card = await client.page(`/dashboard/contacts/${anna}`, jar);
      expect(card).toContain(`href="/dashboard/contacts/${anna}/erase"`);
      const confirm = await client.page(`/dashboard/contacts/${anna}/erase`, jar);
      expect(confirm).toContain(`action="/dashboard/contacts/${anna}/erase"`);
      expect(confirm).toContain('name="confirm"');
      const csrf = hiddenCsrf(confirm);

      const anonymous = await post({}, { csrf, confirm: 'yes' });
      expect([anonymous.status, anonymous.headers.get('location')]).toEqual([302, `/login?next=${encodeURIComponent(`/dashboard/contacts/${anna}/erase`)}`]);
      expect((await post(jar, { csrf: 'forged', confirm: 'yes' })).status).toBe(403);
      expect((await post({ ...jar, af_csrf: 'x'.repeat(43) }, { csrf, confirm: 'yes' })).status).toBe(403);
      expect((await post(jar, { csrf })).status).toBe(422);
      expect((await row()).erased_at).toBeNull();
      expect(gateway.ended).toEqual([]);

      const done = await post(jar, { csrf, confirm: 'yes' });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Персональные данные удалены');
      expect(gateway.ended).toEqual([{ workflowId: `funnel:manual:${anna}`, reason: 'contact erased' }]);
      expect((await row()).erased_at).not.toBeNull();
      expect((await client.get(`/dashboard/contacts/${anna}`, jar)).status).toBe(404);
    });
  });
});
