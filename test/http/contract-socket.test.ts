import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors';
import { manualPlan, welcomePlan } from './test-app';
import { leadPlan } from './pages/page-app';
import { planWith } from '../webinars/fixtures';
import { FakeGateway } from '../helpers/fake-gateway';
import { bounceWebhookToken } from '../../src/tracking/tokens';
import { SERVED, startServedApp, type ServedTestApp, type SocketAnswer } from '../helpers/served-app';

// The contract over a real socket: the app `npm start` serves (createServerApp) on a loopback port, spoken to with
// fetch. `app.request()` hid a 401 whose body was `{}` here; every route family and every error status is checked.

/** Asserts the contract's error body: the status, JSON, `{"error": {"code", "message"}}`. */
function expectContractError(a: SocketAnswer, status: number, code: string) {
  expect(a.status, a.text).toBe(status);
  expect(a.headers.get('content-type')).toMatch(/^application\/json/);
  expect(a.json).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(a.json.error.message.length).toBeGreaterThan(0);
}

const DAY = 86_400_000;

describe('the HTTP contract over a loopback socket', () => {
  let s: ServedTestApp;
  let gateway: FakeGateway;
  let anna: string;
  beforeAll(async () => {
    gateway = new FakeGateway();
    const webinarStart = new Date(Date.now() + 7 * DAY).toISOString();
    s = await startServedApp({ plans: [welcomePlan, manualPlan, leadPlan, planWith('webinars', [{ id: 'live', startsAt: webinarStart }])], gateway });
    const created = await s.api('POST', '/api/contacts', { email: 'anna@example.test', phone: '+79161234567', name: 'Анна', consent: { email: true } });
    expect(created.status).toBe(201);
    anna = created.json.id;
  });
  afterAll(() => s?.stop());

  describe('401 without a valid token (the body used to be {} over the socket)', () => {
    for (const [what, headers] of [
      ['no header', { authorization: null }], ['a wrong token', { authorization: 'Bearer nope' }],
      ['a malformed header', { authorization: 'Bearer a b' }], ['another scheme', { authorization: `Basic ${SERVED.apiToken}` }],
    ] as const) {
      it(`answers the error body for ${what}`, async () => {
        const a = await s.api('GET', '/api/funnels', undefined, headers);
        expectContractError(a, 401, 'unauthorized');
        expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
      });
    }

    it('answers it on a POST with a body, storing nothing', async () => {
      const before = await s.counts('contacts', 'events');
      expectContractError(await s.api('POST', '/api/events', { email: 'x@example.test', name: 'x' }, { authorization: null }), 401, 'unauthorized');
      expect(await s.counts('contacts', 'events')).toEqual(before);
    });
  });

  it('health: 200 with every part ok, 503 naming the failing part', async () => {
    const ok = await s.api('GET', '/health', undefined, { authorization: null });
    expect([ok.status, ok.json]).toEqual([200, { status: 'ok', db: 'ok', temporal: 'ok' }]);
    gateway.healthError = new UnavailableError('down');
    try {
      const bad = await s.api('GET', '/health', undefined, { authorization: null });
      expect([bad.status, bad.json]).toEqual([503, { status: 'degraded', db: 'ok', temporal: 'error' }]);
    } finally {
      gateway.healthError = null;
    }
  });

  it('openapi: served without a token', async () => {
    const a = await s.api('GET', '/api/openapi.json', undefined, { authorization: null });
    expect(a.status).toBe(200);
    expect(a.json.openapi).toBe('3.1.0');
  });

  describe('contacts', () => {
    it('201 new, 200 updated, GET answers the contact', async () => {
      const created = await s.api('POST', '/api/contacts', { externalId: 'crm-1', email: 'boris@example.test' });
      expect(created.status).toBe(201);
      const updated = await s.api('POST', '/api/contacts', { externalId: 'crm-1', name: 'Борис' });
      expect([updated.status, updated.json.id, updated.json.name]).toEqual([200, created.json.id, 'Борис']);
      const got = await s.api('GET', `/api/contacts/${created.json.id}`);
      expect([got.status, got.json.email]).toEqual([200, 'boris@example.test']);
    });

    it('400 for malformed JSON and for wrong types, 422 for invalid values, 409 for a conflict, 404 for an unknown id', async () => {
      expect((await s.api('POST', '/api/contacts', { email: 'gleb@example.test' })).status).toBe(201);
      const before = await s.counts('contacts', 'consents', 'consent_log');
      expectContractError(await s.api('POST', '/api/contacts', '{"email": '), 400, 'invalid_json');
      expectContractError(await s.api('POST', '/api/contacts', { email: 42 }), 400, 'bad_request');
      expectContractError(await s.api('POST', '/api/contacts', { email: 'not-an-email' }), 422, 'validation_failed');
      expectContractError(await s.api('POST', '/api/contacts', { email: 'gleb@example.test', phone: '+79161234567' }), 409, 'conflict');
      expect(await s.counts('contacts', 'consents', 'consent_log')).toEqual(before);
      expectContractError(await s.api('GET', '/api/contacts/ct_nope'), 404, 'not_found');
    });

    it('413 for a body over the limit, storing nothing', async () => {
      const before = await s.counts('contacts');
      expectContractError(await s.api('POST', '/api/contacts', { email: 'big@example.test', attributes: { blob: 'x'.repeat(300_000) } }), 413, 'payload_too_large');
      expect(await s.counts('contacts')).toEqual(before);
    });

    it('consents: 201 with the history entry, GET with the proof', async () => {
      const posted = await s.api('POST', `/api/contacts/${anna}/consents`, { channel: 'sms', granted: true, source: 'crm', wording: 'Да, SMS' });
      expect([posted.status, posted.json.channel, posted.json.wording]).toEqual([201, 'sms', 'Да, SMS']);
      const got = await s.api('GET', `/api/contacts/${anna}/consents`);
      expect(got.status).toBe(200);
      expect(got.json.current.sms).toMatchObject({ granted: true, source: 'crm' });
      expectContractError(await s.api('POST', `/api/contacts/${anna}/consents`, { channel: 'sms', granted: 'yes', source: 'x' }), 400, 'bad_request');
      expectContractError(await s.api('POST', `/api/contacts/${anna}/consents`, { channel: 'fax', granted: true, source: 'x' }), 422, 'validation_failed');
    });
  });

  it('events: 202 stored, 404 for an unknown contact', async () => {
    const a = await s.api('POST', '/api/events', { contactId: anna, name: 'signed_up', idempotencyKey: 'socket-1' });
    expect([a.status, a.json.duplicate]).toEqual([202, false]);
    const again = await s.api('POST', '/api/events', { contactId: anna, name: 'signed_up', idempotencyKey: 'socket-1' });
    expect([again.status, again.json.id, again.json.duplicate]).toEqual([202, a.json.id, true]);
    expectContractError(await s.api('POST', '/api/events', { contactId: 'ct_nope', name: 'x' }), 404, 'not_found');
  });

  describe('funnels and enrollments', () => {
    it('lists the funnels', async () => {
      const a = await s.api('GET', '/api/funnels');
      expect(a.status).toBe(200);
      expect(a.json.map((f: { id: string }) => f.id)).toEqual(['lead', 'manual', 'webinars', 'welcome']);
    });

    it('enrolls (201, then 200), answers the enrollment, 404 for unknown ones', async () => {
      const first = await s.api('POST', '/api/funnels/manual/enrollments', { contactId: anna });
      expect(first.status).toBe(201);
      const again = await s.api('POST', '/api/funnels/manual/enrollments', { contactId: anna });
      expect([again.status, again.json.enrollmentId]).toEqual([200, first.json.enrollmentId]);
      const got = await s.api('GET', `/api/enrollments/${first.json.enrollmentId}`);
      expect([got.status, got.json.status]).toEqual([200, 'active']);
      expectContractError(await s.api('GET', '/api/enrollments/en_nope'), 404, 'not_found');
      expectContractError(await s.api('POST', '/api/funnels/nope/enrollments', { contactId: anna }), 404, 'not_found');
    });

    it('503 when Temporal is unreachable, 500 for an unexpected failure; neither stores the enrollment', async () => {
      const before = await s.counts('enrollments', 'contacts');
      gateway.startError = new UnavailableError('temporal: start failed: connection refused');
      try {
        expectContractError(await s.api('POST', '/api/funnels/welcome/enrollments', { contactId: anna }), 503, 'unavailable');
        gateway.startError = new Error('a bug');
        const failed = await s.api('POST', '/api/funnels/welcome/enrollments', { contact: { email: 'new@example.test' } });
        expectContractError(failed, 500, 'internal');
        expect(failed.text).not.toContain('a bug');
      } finally {
        gateway.startError = null;
      }
      expect(await s.counts('enrollments', 'contacts')).toEqual(before);
    });

    it('stats and experiments: 200, 422 for a bad model or date, 404 for an unknown funnel', async () => {
      const stats = await s.api('GET', '/api/funnels/welcome/stats?model=linear');
      expect([stats.status, stats.json.funnelId, stats.json.model]).toEqual([200, 'welcome', 'linear']);
      expectContractError(await s.api('GET', '/api/funnels/welcome/stats?model=nope'), 422, 'validation_failed');
      expectContractError(await s.api('GET', '/api/funnels/welcome/stats?from=yesterday'), 422, 'validation_failed');
      const experiments = await s.api('GET', '/api/funnels/welcome/experiments');
      expect([experiments.status, experiments.json.funnelId]).toEqual([200, 'welcome']);
      expectContractError(await s.api('GET', '/api/funnels/nope/experiments'), 404, 'not_found');
    });
  });

  it('webinars: list, 404 for an unknown one, 422 for a move to no date', async () => {
    const list = await s.api('GET', '/api/webinars');
    expect([list.status, list.json.map((w: { id: string }) => w.id)]).toEqual([200, ['live']]);
    expectContractError(await s.api('GET', '/api/webinars/nope'), 404, 'not_found');
    expectContractError(await s.api('PATCH', '/api/webinars/live', { startsAt: 'next tuesday' }), 422, 'validation_failed');
  });

  it('answers a method a path does not have with 405 and its Allow header (schemathesis: TRACE and the like were 404)', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/contacts', 'POST'], ['PUT', '/api/funnels', 'GET, HEAD'], ['PATCH', `/api/contacts/${anna}`, 'DELETE, GET, HEAD'],
      ['OPTIONS', '/f/lead/thanks', 'GET, HEAD'], ['DELETE', '/health', 'GET, HEAD'],
    ] as const) {
      const a = await s.api(method, path);
      expectContractError(a, 405, 'method_not_allowed');
      expect(a.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
  });

  it('refuses addresses no mail server could deliver to (schemathesis: `ß£@v` was accepted)', async () => {
    const before = await s.counts('contacts', 'suppressions');
    for (const email of ['ß£@v', 'anna@example', 'a\u0087@example.ru', 'ĥé@¾ï.example.ru', 'anna@exa_mple.ru', 'anna@example.123']) {
      expectContractError(await s.api('POST', '/api/contacts', { email }), 422, 'validation_failed');
    }
    const bounce = await s.api('POST', `/webhooks/email/bounce?token=${bounceWebhookToken(SERVED.secretKey)}`, [{ email: 'ß£@v', reason: 'no such user' }], { authorization: null });
    expectContractError(bounce, 422, 'validation_failed');
    expect(await s.counts('contacts', 'suppressions')).toEqual(before);
    expect((await s.api('POST', '/api/contacts', { email: 'кириллица@школа.рф' })).status).toBe(201);
  });

  it('answers an unknown route with 404 not_found', async () => {
    expectContractError(await s.api('GET', '/api/nope'), 404, 'not_found');
    expectContractError(await s.api('GET', '/nope', undefined, { authorization: null }), 404, 'not_found');
  });

  describe('public routes', () => {
    it('tracking: a forged open pixel is still a GIF; an unknown link and a forged unsubscribe token are 404 pages', async () => {
      const pixel = await s.api('GET', '/t/o/forged.token', undefined, { authorization: null });
      expect([pixel.status, pixel.headers.get('content-type')]).toEqual([200, 'image/gif']);
      const link = await s.api('GET', '/t/c/lk_nope', undefined, { authorization: null });
      expect([link.status, link.headers.get('content-type')]).toEqual([404, expect.stringMatching(/^text\/html/)]);
      const unsubscribe = await s.api('GET', '/u/forged.token', undefined, { authorization: null });
      expect(unsubscribe.status).toBe(404);
    });

    it('pages and forms: the form page, a JSON submission (201), 422 and 415 for bad ones, 404 for a forged page token, then 429', async () => {
      const page = await s.api('GET', '/f/lead', undefined, { authorization: null });
      expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      expect((await s.api('GET', '/p/lead/thanks?t=forged.token', undefined, { authorization: null })).status).toBe(404);
      const json = { accept: 'application/json' };
      const ok = await s.api('POST', '/f/lead', { name: 'Вера', email: 'vera@example.test', 'consent.email': true }, { ...json, authorization: null });
      expect([ok.status, typeof ok.json.contactId]).toEqual([201, 'string']);
      expectContractError(await s.api('POST', '/f/lead', { name: 'Вера', email: 'nope' }, { ...json, authorization: null }), 422, 'validation_failed');
      expectContractError(await s.api('POST', '/f/lead', 'name=x', { ...json, 'content-type': 'text/plain', authorization: null }), 415, 'unsupported_media_type');
      let last: SocketAnswer | undefined;
      for (let i = 0; i < 5 && last?.status !== 429; i++) last = await s.api('POST', '/f/lead', { name: 'Вера' }, { ...json, authorization: null });
      expectContractError(last!, 429, 'rate_limited');
    });

    it('webhooks: a wrong token is 401 with the error body', async () => {
      expectContractError(await s.api('POST', '/webhooks/email/bounce?token=nope', { email: 'a@example.test' }, { authorization: null }), 401, 'unauthorized');
      expectContractError(await s.api('POST', '/webhooks/webinar/live?token=nope', { records: [] }, { authorization: null }), 401, 'unauthorized');
    });

    it('dashboard login: the login page, 403 for a form without its CSRF token, a redirect to login without a session', async () => {
      const login = await s.api('GET', '/login', undefined, { authorization: null });
      expect([login.status, login.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      const posted = await s.api('POST', '/login', new URLSearchParams({ password: SERVED.adminPassword }), { authorization: null });
      expect(posted.status).toBe(403);
      const guarded = await s.api('GET', '/dashboard', undefined, { authorization: null });
      expect([guarded.status, guarded.headers.get('location')]).toEqual([302, '/login?next=%2Fdashboard']);
    });
  });
});
