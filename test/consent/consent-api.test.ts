import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError } from '../http/test-app';
import { consentHistory, recordConsent } from '../../src/consent/record-consent';
import { createTrackingApp, type TrackingApp } from '../http/tracking/fixture';

describe('consent/record-consent and the consent API', () => {
  let t: TrackingApp;
  beforeEach(async () => { t = await createTrackingApp(); });
  afterEach(() => t.close());

  const post = async (contactId: string, body: unknown) => t.web.request(`/api/contacts/${contactId}/consents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const rejected = async (res: Response | Promise<Response>, status: number, code: string) => {
    const before = await t.rows();
    const body = await expectError(await res, status, code);
    expect(await t.rows()).toEqual(before);
    return body;
  };

  it('records a decision with its proof and answers 201 with the history entry', async () => {
    const res = await post(t.contactId, { channel: 'sms', granted: true, source: 'landing:spring', wording: 'Согласен получать SMS', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' });
    expect(res.status).toBe(201);
    const entry = await res.json();
    expect(entry).toEqual({
      id: expect.stringMatching(/^cl_/), channel: 'sms', granted: true, source: 'landing:spring', ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0', wording: 'Согласен получать SMS', at: new Date(t.clock.now).toISOString(),
    });
    const row = await t.db.selectFrom('consents').selectAll().where('contact_id', '=', t.contactId).where('channel', '=', 'sms').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ granted: 1, source: 'landing:spring', updated_at: t.clock.now });
  });

  it('answers the current consent per channel and the full history, oldest first', async () => {
    await recordConsent(t.db, { contactId: t.contactId, channel: 'email', granted: true, source: 'form:welcome', ip: '2001:db8::1', wording: 'Да', at: 1000 });
    await recordConsent(t.db, { contactId: t.contactId, channel: 'email', granted: false, source: 'unsubscribe:email', at: 2000 });
    const res = await t.web.request(`/api/contacts/${t.contactId}/consents`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      contactId: t.contactId,
      current: { email: { granted: false, source: 'unsubscribe:email', at: new Date(2000).toISOString() } },
      history: [
        expect.objectContaining({ channel: 'email', granted: true, source: 'form:welcome', ip: '2001:db8::1', wording: 'Да', at: new Date(1000).toISOString() }),
        expect.objectContaining({ channel: 'email', granted: false, source: 'unsubscribe:email', ip: null, wording: null, at: new Date(2000).toISOString() }),
      ],
    });
    expect(await consentHistory(t.db, t.contactId)).toHaveLength(2);
  });

  it('rejects wrong types with 400, invalid values with 422, unknown contacts with 404 — storing nothing', async () => {
    await rejected(post(t.contactId, '{"channel":'), 400, 'invalid_json');
    await rejected(post(t.contactId, []), 400, 'invalid_json');
    await rejected(post(t.contactId, { channel: 'email', granted: 'yes', source: 'crm' }), 400, 'bad_request');
    await rejected(post(t.contactId, { channel: 'email', source: 'crm' }), 400, 'bad_request');
    await rejected(post(t.contactId, { channel: 'email', granted: true, source: 'crm', extra: 1 }), 400, 'bad_request');
    const channel = await rejected(post(t.contactId, { channel: 'fax', granted: true, source: 'crm' }), 422, 'validation_failed');
    expect(channel.error.details).toEqual([expect.objectContaining({ path: 'channel' })]);
    const ip = await rejected(post(t.contactId, { channel: 'email', granted: true, source: 'crm', ip: '999.1.1.1' }), 422, 'validation_failed');
    expect(ip.error.details).toEqual([expect.objectContaining({ path: 'ip' })]);
    await rejected(post(t.contactId, { channel: 'email', granted: true, source: '  ' }), 422, 'validation_failed');
    await rejected(post('ct_nobody', { channel: 'email', granted: true, source: 'crm' }), 404, 'not_found');
    await expectError(await t.web.request('/api/contacts/ct_nobody/consents'), 404, 'not_found');
  });
});
