import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors';
import { createTestApp, expectRejected, T0, type TestApp } from './test-app';

const WORDING = 'Я согласен получать письма и SMS от «Школы»';

describe('consent proof of API consents', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());
  const proofRows = () => t.db.selectFrom('consent_log').select(['contact_id', 'channel', 'granted', 'source', 'ip', 'user_agent', 'wording', 'at']).orderBy('channel').orderBy('at').execute();

  it('writes a consent_log row for every grant and withdrawal of POST /api/contacts, with the proof the client passes', async () => {
    const res = await t.call('POST', '/api/contacts', {
      email: 'anna@example.ru', phone: '+79161234567', consent: { email: true, sms: false },
      consentProof: { wording: WORDING, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (CRM import)', source: 'crm' },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await proofRows()).toEqual([
      { contact_id: id, channel: 'email', granted: 1, source: 'api:crm', ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (CRM import)', wording: WORDING, at: T0 },
      { contact_id: id, channel: 'sms', granted: 0, source: 'api:crm', ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (CRM import)', wording: WORDING, at: T0 },
    ]);
    const history = (await (await t.call('GET', `/api/contacts/${id}/consents`)).json()) as { history: unknown[] };
    expect(history.history).toHaveLength(2);
  });

  it('records source api and the time when no proof is passed, and a later withdrawal as a second row', async () => {
    const { id } = (await (await t.call('POST', '/api/contacts', { email: 'boris@example.ru', consent: { email: true } })).json()) as { id: string };
    t.clock.now = T0 + 60_000;
    expect((await t.call('POST', '/api/contacts', { email: 'boris@example.ru', consent: { email: false } })).status).toBe(200);
    expect(await proofRows()).toEqual([
      { contact_id: id, channel: 'email', granted: 1, source: 'api', ip: null, user_agent: null, wording: null, at: T0 },
      { contact_id: id, channel: 'email', granted: 0, source: 'api', ip: null, user_agent: null, wording: null, at: T0 + 60_000 },
    ]);
  });

  it('writes the proof of a contact given to POST /api/funnels/:id/enrollments', async () => {
    const res = await t.call('POST', '/api/funnels/manual/enrollments', {
      contact: { email: 'vera@example.ru', consent: { email: true }, consentProof: { wording: WORDING, ip: '2001:db8::1' } },
    });
    expect(res.status).toBe(201);
    expect(await proofRows()).toEqual([expect.objectContaining({ channel: 'email', granted: 1, source: 'api', ip: '2001:db8::1', wording: WORDING })]);
  });

  it('stores nothing, proof included, when the request is rejected', async () => {
    await expectRejected(t, () => t.call('POST', '/api/contacts', { email: 'x@example.ru', consent: { email: true }, consentProof: { ip: 'not-an-ip' } }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/contacts', { email: 'x@example.ru', consentProof: { wording: 'x', extra: 1 } }), 400, 'bad_request');
    t.gateway.startError = new UnavailableError('temporal down');
    await expectRejected(t, () => t.call('POST', '/api/funnels/manual/enrollments', { contact: { email: 'y@example.ru', consent: { email: true }, consentProof: { wording: WORDING } } }), 503, 'unavailable');
    expect(await proofRows()).toEqual([]);
  });
});
