import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database';
import { freshDatabase, type TestDatabase } from '../../helpers/test-db';
import { upsertContact } from '../../../src/db/contacts';
import { handleError } from '../../../src/http/error-response';
import { silentLogger } from '../../../src/log';
import { smsWebhookRoutes, smsWebhookUrl, type InboundSmsEvent, type SmsReceiptEvent } from '../../../src/http/webhooks/sms';
import { createSmsChannelFromEnv } from '../../../src/channels/sms/env';
import { twilioSignature } from '../../../src/channels/sms/twilio';
import { startFakeTwilio } from '../../helpers/fake-twilio';

const SECRET = 'secret-key-0123456789abcdef';
const PUBLIC = 'https://funnel.example';
const NOW = Date.parse('2025-03-01T10:00:00Z');
const PHONE = '+79161234567';
const TWILIO_TOKEN = 'twilio-token-1';

describe('sms webhooks', () => {
  let fresh: TestDatabase;
  let db: Db;
  let app: Hono;
  let contactId: string;
  const inbound: InboundSmsEvent[] = [];
  const receipts: SmsReceiptEvent[] = [];

  const url = (provider: string) => smsWebhookUrl(PUBLIC, SECRET, provider).slice(PUBLIC.length);
  const post = (path: string, fields: Array<[string, string]> | Record<string, string>, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers });
  const signed = (path: string, fields: Record<string, string>) =>
    post(path, fields, { 'x-twilio-signature': twilioSignature(TWILIO_TOKEN, PUBLIC + path, new URLSearchParams(fields)) });

  async function delivery(id: string, providerMessageId: string, status: 'sent' | 'delivered' = 'sent') {
    await db.insertInto('deliveries').values({
      id, enrollment_id: 'en_1', funnel_id: 'webinar', contact_id: contactId, touch_id: `sms-${id}`, channel: 'sms', status,
      recipient: PHONE, provider_message_id: providerMessageId, attempts: 1, scheduled_at: NOW, created_at: NOW, sent_at: NOW, segments: 1,
    }).execute();
  }
  const row = (id: string) => db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  async function snapshot() {
    const count = async (t: 'consents' | 'consent_log' | 'suppressions' | 'touch_log') =>
      Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const deliveries = await db.selectFrom('deliveries').select(['id', 'status', 'delivered_at', 'failed_at', 'reason']).orderBy('id').execute();
    return { deliveries, consents: await count('consents'), consentLog: await count('consent_log'), suppressions: await count('suppressions'), touchLog: await count('touch_log') };
  }

  beforeAll(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
    contactId = (await upsertContact(db, { phone: PHONE, name: 'Анна', consent: { sms: true } }, 'api', NOW)).contact.id;
    await db.insertInto('enrollments').values({
      id: 'en_1', funnel_id: 'webinar', contact_id: contactId, version: 'v1', workflow_id: `funnel:webinar:${contactId}`, status: 'active',
      current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: NOW, finished_at: null, converted_at: null,
    }).execute();
    app = new Hono();
    app.route('/webhooks/sms', smsWebhookRoutes({
      db, secretKey: SECRET, log: silentLogger, now: () => NOW + 60_000, twilioAuthToken: TWILIO_TOKEN, publicUrl: PUBLIC,
      onInbound: async (e) => { inbound.push(e); },
      onReceipt: async (e) => { receipts.push(e); },
    }));
    app.onError(handleError(silentLogger));
  });
  afterAll(async () => {
    await fresh.close();
  });
  beforeEach(() => { inbound.length = 0; receipts.length = 0; });

  it('marks an SMS.ru message delivered and answers the plain text 100', async () => {
    await delivery('dl_ru1', '202503-1000001');
    const res = await post(url('smsru'), [['data[0]', 'sms_status\n202503-1000001\n103\n1740823500']]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('100');
    expect(await row('dl_ru1')).toMatchObject({ status: 'delivered', delivered_at: 1740823500000, failed_at: null });
    expect(receipts).toEqual([{ deliveryId: 'dl_ru1', enrollmentId: 'en_1', funnelId: 'webinar', contactId, touchId: 'sms-dl_ru1', status: 'delivered', at: 1740823500000 }]);
  });

  it('ignores a repeated report and a failure arriving after delivery', async () => {
    const before = await snapshot();
    const res = await post(url('smsru'), [['data[0]', 'sms_status\n202503-1000001\n103\n1740823999'], ['data[1]', 'sms_status\n202503-1000001\n104\n1740823999']]);
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect(receipts).toEqual([]);
  });

  it('marks an SMSC.ru message failed with the provider’s reason and logs the failure on the touch', async () => {
    await delivery('dl_c1', '77:79161234567');
    const res = await post(url('smsc'), { id: '77', phone: '79161234567', status: '20', err: '1' });
    expect(res.status).toBe(200);
    expect(await row('dl_c1')).toMatchObject({ status: 'failed', failed_at: NOW + 60_000, delivered_at: null, reason: 'provider: status 20 cannot be delivered, err 1' });
    const log = await db.selectFrom('touch_log').selectAll().where('delivery_id', '=', 'dl_c1').execute();
    expect(log).toEqual([expect.objectContaining({ kind: 'failed', channel: 'sms', touch_id: 'sms-dl_c1', enrollment_id: 'en_1', reason: 'provider: status 20 cannot be delivered, err 1' })]);
    expect(receipts).toMatchObject([{ deliveryId: 'dl_c1', status: 'failed' }]);
  });

  it('acknowledges reports for unknown messages and pending statuses without changing anything', async () => {
    const before = await snapshot();
    expect((await post(url('smsru'), [['data[0]', 'sms_status\nnope-1\n103\n1740823500']])).status).toBe(200);
    expect((await post(url('smsc'), { id: '1', phone: '79990000000', status: '1' })).status).toBe(200);
    expect((await signed(url('twilio'), { MessageSid: 'SMunknown', MessageStatus: 'delivered' })).status).toBe(200);
    await delivery('dl_c2', '78:79161234567');
    const withRow = await snapshot();
    expect((await post(url('smsc'), { id: '78', phone: '79161234567', status: '0' })).status).toBe(200);
    expect(await snapshot()).toEqual(withRow);
    expect(withRow.consents).toBe(before.consents);
    expect(receipts).toEqual([]);
  });

  it('takes the Twilio status callback of a message the channel sent, at the URL it gave Twilio', async () => {
    const fake = await startFakeTwilio({ accountSid: 'AC1', authToken: 'tok' });
    try {
      const channel = createSmsChannelFromEnv(
        { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006', SMS_API_ROOT: fake.url },
        { publicUrl: PUBLIC, secretKey: SECRET },
      )!;
      const sent = await channel.send({ to: PHONE, text: 'Вебинар через час' }, { deliveryId: 'dl_t1' });
      if (!sent.ok) throw new Error(sent.reason);
      await delivery('dl_t1', sent.providerMessageId);
      const callback = new URL(fake.requests.at(-1)!.form.StatusCallback!);
      const res = await signed(callback.pathname + callback.search, { MessageSid: sent.providerMessageId, MessageStatus: 'undelivered', ErrorCode: '30003', To: PHONE });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/xml');
      expect(await row('dl_t1')).toMatchObject({ status: 'failed', reason: 'provider: undelivered (30003)' });
    } finally {
      await fake.close();
    }
  });

  describe('inbound replies', () => {
    it('withdraws SMS consent, logs the wording and suppresses the number on STOP', async () => {
      const res = await signed(url('twilio'), { MessageSid: 'SMin1', From: PHONE, To: '+15005550006', Body: 'Stop.' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<Response>');
      expect(await db.selectFrom('consents').selectAll().where('contact_id', '=', contactId).where('channel', '=', 'sms').executeTakeFirst())
        .toMatchObject({ granted: 0, source: 'sms:stop', updated_at: NOW + 60_000 });
      // The grant of the set-up (an API upsert) has its proof row too; the STOP is the second decision.
      expect(await db.selectFrom('consent_log').selectAll().where('contact_id', '=', contactId).orderBy('at').execute()).toEqual([
        expect.objectContaining({ channel: 'sms', granted: 1, source: 'api', at: NOW }),
        expect.objectContaining({ channel: 'sms', granted: 0, source: 'sms:stop', wording: 'Stop.', at: NOW + 60_000 }),
      ]);
      expect(await db.selectFrom('suppressions').selectAll().execute()).toEqual([{ channel: 'sms', address: PHONE, reason: 'stop', at: NOW + 60_000 }]);
      expect(inbound).toEqual([{ phone: PHONE, text: 'Stop.', provider: 'twilio', at: NOW + 60_000, providerMessageId: 'SMin1', contactId, stop: true }]);
    });

    it('does not log a second withdrawal for a repeated STOP, but still reports the message', async () => {
      const before = await snapshot();
      const res = await post(url('smsc'), { sms_id: '9001', phone: '79161234567', mes: 'СТОП', to: '79037654321' });
      expect(res.status).toBe(200);
      expect(await snapshot()).toEqual(before);
      expect(inbound).toEqual([expect.objectContaining({ phone: PHONE, text: 'СТОП', provider: 'smsc', stop: true, contactId })]);
    });

    it('suppresses a STOP from an unknown number without touching any contact', async () => {
      const before = await snapshot();
      await signed(url('twilio'), { MessageSid: 'SMin2', From: '+79031112233', Body: 'ОТПИСАТЬСЯ' });
      const after = await snapshot();
      expect(after).toEqual({ ...before, suppressions: before.suppressions + 1 });
      expect(inbound).toEqual([expect.objectContaining({ phone: '+79031112233', stop: true, contactId: undefined })]);
    });

    it('passes an ordinary reply on with its contact and changes nothing', async () => {
      const before = await snapshot();
      await post(url('smsc'), { sms_id: '9002', phone: '79161234567', mes: 'Когда следующий урок?' });
      expect(await snapshot()).toEqual(before);
      expect(inbound).toEqual([{ phone: PHONE, text: 'Когда следующий урок?', provider: 'smsc', at: NOW + 60_000, providerMessageId: '9002', contactId, stop: false }]);
    });
  });

  describe('bad calls store nothing', () => {
    let before: Awaited<ReturnType<typeof snapshot>>;
    beforeEach(async () => { before = await snapshot(); });

    const stopBody = { MessageSid: 'SMx', From: '+79035556677', Body: 'STOP' };

    it.each([
      ['no token', '/webhooks/sms/twilio'],
      ['a wrong token', '/webhooks/sms/twilio?token=AAAAAAAAAAAAAAAAAAAAAA'],
      ['the token of another provider', `/webhooks/sms/twilio?token=${url('smsru').split('token=')[1]}`],
    ])('401 for %s', async (_what, path) => {
      const res = await signed(path, stopBody);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
      expect(await snapshot()).toEqual(before);
      expect(inbound).toEqual([]);
    });

    it('401 for a Twilio call without a valid signature', async () => {
      const res = await post(url('twilio'), stopBody, { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' });
      expect(res.status).toBe(401);
      expect((await post(url('twilio'), stopBody)).status).toBe(401);
      expect(await snapshot()).toEqual(before);
    });

    it('404 for an unknown provider', async () => {
      const res = await post(`/webhooks/sms/mts?token=${smsWebhookUrl(PUBLIC, SECRET, 'mts').split('token=')[1]}`, stopBody);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      expect(await snapshot()).toEqual(before);
    });

    it('400 for bodies the provider would not send', async () => {
      for (const [path, body] of [
        [url('smsru'), [['foo', 'bar']]],
        [url('smsru'), [['data[0]', 'sms_status\n\n']]],
        [url('smsc'), { id: '1', status: 'delivered' }],
      ] as const) {
        const res = await post(path, body as Record<string, string>);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('malformed') } });
      }
      const twilioBad = await signed(url('twilio'), { Hello: 'world' });
      expect(twilioBad.status).toBe(400);
      const json = await app.request(url('smsc'), { method: 'POST', body: '{"id":', headers: { 'content-type': 'application/json' } });
      expect(json.status).toBe(400);
      expect(await snapshot()).toEqual(before);
      expect(inbound).toEqual([]);
    });

    it('405 for GET on a provider that only POSTs', async () => {
      expect((await app.request(url('smsru'))).status).toBe(405);
      expect(await snapshot()).toEqual(before);
    });
  });

  it('also accepts SMSC callbacks by GET', async () => {
    await delivery('dl_c3', '79:79161234567');
    const res = await app.request(`${url('smsc')}&id=79&phone=79161234567&status=1`);
    expect(res.status).toBe(200);
    expect(await row('dl_c3')).toMatchObject({ status: 'delivered' });
  });
});
