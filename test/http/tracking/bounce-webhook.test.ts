import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError } from '../test-app';
import { isSuppressed } from '../../../src/consent/suppressions';
import { recordBounce } from '../../../src/consent/bounces';
import { bounceWebhookToken, bounceWebhookUrl } from '../../../src/tracking/tokens';
import { createTrackingApp, eventsNamed, PUBLIC_URL, SECRET, type TrackingApp } from './fixture';

describe('http/tracking bounce webhook', () => {
  let t: TrackingApp;
  let url: string;
  beforeEach(async () => {
    t = await createTrackingApp();
    await t.db.updateTable('deliveries').set({ provider_message_id: '<m1@mail.example>' }).where('id', '=', t.deliveryId).execute();
    url = bounceWebhookUrl(PUBLIC_URL, SECRET).slice(PUBLIC_URL.length);
  });
  afterEach(() => t.close());

  const post = async (path: string, body: unknown) => t.web.request(path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('suppresses the address, fails the delivery found by messageId and stores <touchId>.failed once', async () => {
    const res = await post(url, { email: 'A@Example.test', reason: '550 5.1.1 user unknown', messageId: 'm1@mail.example' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [{ email: 'a@example.test', suppressed: true, deliveryId: t.deliveryId, eventId: expect.stringMatching(/^ev_/) }] });
    expect(await isSuppressed(t.db, 'email', 'a@EXAMPLE.test')).toBe(true);
    expect(await isSuppressed(t.db, 'email', 'b@example.test')).toBe(false);
    expect(await isSuppressed(t.db, 'sms', 'a@example.test')).toBe(false);
    const delivery = await t.db.selectFrom('deliveries').selectAll().where('id', '=', t.deliveryId).executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'failed', reason: 'bounce: 550 5.1.1 user unknown', failed_at: t.clock.now });
    expect(await t.db.selectFrom('touch_log').select(['kind', 'reason']).execute()).toEqual([{ kind: 'failed', reason: 'bounce: 550 5.1.1 user unknown' }]);
    const failed = await eventsNamed(t, 'hello.failed');
    expect(failed.map((e) => e.properties)).toEqual([{ funnelId: 'welcome', deliveryId: t.deliveryId, channel: 'email', reason: 'bounce: 550 5.1.1 user unknown', bounce: true }]);

    // The same report again (ESPs retry) changes nothing.
    const before = await t.rows();
    const again = await post(url, [{ email: 'a@example.test', reason: '550 5.1.1 user unknown', messageId: '<m1@mail.example>' }]);
    expect(await again.json()).toEqual({ results: [expect.objectContaining({ suppressed: false, deliveryId: t.deliveryId })] });
    expect(await t.rows()).toEqual(before);
    expect(await t.db.selectFrom('touch_log').selectAll().execute()).toHaveLength(1);
  });

  it('accepts an array of reports, with or without a known messageId', async () => {
    const res = await post(url, [{ email: 'x@example.test', reason: 'mailbox full permanently' }, { email: 'y@example.test', reason: 'no such user', messageId: 'unknown@id' }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [
      { email: 'x@example.test', suppressed: true, deliveryId: null, eventId: null },
      { email: 'y@example.test', suppressed: true, deliveryId: null, eventId: null },
    ] });
    expect(await t.db.selectFrom('suppressions').select(['channel', 'address', 'reason']).orderBy('address').execute()).toEqual([
      { channel: 'email', address: 'x@example.test', reason: 'bounce' }, { channel: 'email', address: 'y@example.test', reason: 'bounce' },
    ]);
  });

  it('does not fail a delivery that went to another address', async () => {
    const result = await recordBounce(t.deps, { email: 'other@example.test', reason: 'x', at: t.clock.now, deliveryId: t.deliveryId });
    expect(result).toEqual({ suppressed: true, deliveryId: null, eventId: null });
    expect((await t.db.selectFrom('deliveries').select('status').where('id', '=', t.deliveryId).executeTakeFirstOrThrow()).status).toBe('sent');
  });

  it('refuses a missing or wrong token with 401 and bad bodies with 400/422, storing nothing', async () => {
    const before = await t.rows();
    const good = { email: 'a@example.test', reason: 'user unknown' };
    await expectError(await post('/webhooks/email/bounce', good), 401, 'unauthorized');
    await expectError(await post(`/webhooks/email/bounce?token=${bounceWebhookToken('another-secret')}`, good), 401, 'unauthorized');
    await expectError(await post(`${url}x`, good), 401, 'unauthorized');
    await expectError(await post(url, '{"email":'), 400, 'invalid_json');
    await expectError(await post(url, { email: 'a@example.test' }), 400, 'bad_request');
    await expectError(await post(url, [good, { email: 'not-an-address', reason: 'x' }]), 422, 'validation_failed');
    await expectError(await post(url, []), 422, 'validation_failed');
    expect(await t.rows()).toEqual(before);
    expect((await t.db.selectFrom('deliveries').select('status').where('id', '=', t.deliveryId).executeTakeFirstOrThrow()).status).toBe('sent');
  });
});
