import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { UnavailableError } from '../../src/errors';
import { manualPlan, welcomePlan } from './test-app';
import { FakeGateway } from '../helpers/fake-gateway';
import { planWith } from '../webinars/fixtures';
import { assignSession } from '../../src/webinars/assign-session';
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

  it('erases a second contact that reused an idempotency key of an erased one (found by schemathesis: it was a 500)', async () => {
    expect((await s.api('POST', '/api/events', { contactId: anna, name: 'signed_up', idempotencyKey: 'signup-anna@example.test' })).status).toBe(202);
    expect((await s.api('DELETE', `/api/contacts/${anna}`)).status).toBe(204);
    const bob = (await s.api('POST', '/api/contacts', { email: 'bob@example.test' })).json.id;
    const again = await s.api('POST', '/api/events', { contactId: bob, name: 'signed_up', idempotencyKey: 'signup-anna@example.test' });
    expect([again.status, again.json.duplicate]).toEqual([202, false]);
    expect((await s.api('DELETE', `/api/contacts/${bob}`)).status).toBe(204);
    expect(await s.db.selectFrom('events').select('idempotency_key').execute()).toEqual([{ idempotency_key: null }, { idempotency_key: null }]);
  });

  it('moves a webinar without trying to tell an erased contact (found by schemathesis: it logged an error per erased session)', async () => {
    await s.stop();
    const errors: string[] = [];
    s = await startServedApp({
      plans: [welcomePlan, manualPlan, planWith('webinars', [{ id: 'live', startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }])], gateway,
      log: { debug: () => undefined, info: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
    });
    const ids = [];
    for (const email of ['anna@example.test', 'vera@example.test']) {
      const id = (await s.api('POST', '/api/contacts', { email })).json.id;
      await assignSession(s.db, { webinarId: 'live', contactId: id, contactTimezone: null, fallbackTimezone: 'UTC', now: Date.now() });
      ids.push(id);
    }
    expect((await s.api('DELETE', `/api/contacts/${ids[0]}`)).status).toBe(204);
    const moved = await s.api('PATCH', '/api/webinars/live', { startsAt: new Date(Date.now() + 8 * 86_400_000).toISOString() });
    expect(moved.status).toBe(200);
    expect(errors).toEqual([]);
    expect((await s.db.selectFrom('events').select(['contact_id', 'name']).execute())).toEqual([{ contact_id: ids[1], name: 'webinar.moved' }]);
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
