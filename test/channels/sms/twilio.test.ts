import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsChannelFromEnv } from '../../../src/channels/sms/env';
import { twilioSignature, twilioWebhook, verifyTwilioSignature } from '../../../src/channels/sms/twilio';
import { smsWebhookUrl } from '../../../src/channels/sms/webhook-url';
import { startFakeTwilio } from '../../helpers/fake-twilio';

const SID = 'AC0123456789abcdef0123456789abcdef';
const form = (fields: Record<string, string>) => ({ method: 'POST', url: 'http://x/', headers: {}, query: {}, form: new URLSearchParams(fields) });

describe('Twilio provider', () => {
  let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
  beforeAll(async () => { fake = await startFakeTwilio({ accountSid: SID, authToken: 'tok-1', numSegments: '3', price: '-0.02370' }); });
  afterAll(async () => { await fake.close(); });

  const env = (extra: Record<string, string> = {}) => ({
    SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok-1', TWILIO_FROM: '+15005550006', SMS_API_ROOT: fake.url, ...extra,
  });

  it('posts To/From/Body/StatusCallback with basic auth and returns the SID, num_segments and |price|', async () => {
    const channel = createSmsChannelFromEnv(env(), { publicUrl: 'https://funnel.example/', secretKey: 'secret-key-0123456789' })!;
    const result = await channel.send({ to: '+79161234567', text: 'Hello from the school' }, { deliveryId: 'dl_1' });
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:tok-1`).toString('base64')}`);
    expect(req.form).toEqual({
      To: '+79161234567', From: '+15005550006', Body: 'Hello from the school',
      StatusCallback: smsWebhookUrl('https://funnel.example', 'secret-key-0123456789', 'twilio'),
    });
    expect(req.form.StatusCallback).toMatch(/^https:\/\/funnel\.example\/webhooks\/sms\/twilio\?token=[\w-]{22}$/);
    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'sent', segments: 3, cost: 0.0237 });
  });

  it('sends from a Messaging Service when TWILIO_FROM is an MG… SID, and without a callback when no public URL is known', async () => {
    const channel = createSmsChannelFromEnv(env({ TWILIO_FROM: 'MG0123456789abcdef0123456789abcdef' }))!;
    await channel.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_2' });
    expect(fake.requests.at(-1)!.form).toEqual({ To: '+79161234567', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef', Body: 'x' });
  });

  it.each([
    ['invalid_number', { retryable: false, code: 'invalid_address', reason: expect.stringContaining('twilio 21211') }],
    ['unsubscribed', { retryable: false, code: 'blocked', reason: expect.stringContaining('twilio 21610') }],
    ['server_error', { retryable: true, reason: expect.stringContaining('twilio 20500') }],
  ] as const)('maps %s', async (kind, expected) => {
    fake.script({ kind });
    expect(await createSmsChannelFromEnv(env())!.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_3' })).toEqual({ ok: false, ...expected });
  });

  it('maps 429 to a retry after Retry-After, and bad credentials to a permanent failure', async () => {
    fake.script({ kind: 'rate_limited', retryAfterSeconds: 7 });
    expect(await createSmsChannelFromEnv(env())!.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_4' }))
      .toEqual({ ok: false, retryable: true, retryAfterMs: 7000, reason: expect.stringContaining('twilio 20429') });
    expect(await createSmsChannelFromEnv(env({ TWILIO_AUTH_TOKEN: 'wrong' }))!.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_5' }))
      .toEqual({ ok: false, retryable: false, reason: 'twilio 20003: Authenticate' });
  });
});

describe('Twilio webhooks', () => {
  it('computes X-Twilio-Signature exactly like Twilio’s documented examples', () => {
    const params = (caller: string) => new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(verifyTwilioSignature('12345', url, params('+14158675310'), 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
    expect(verifyTwilioSignature('12345', url, params('+14158675310'), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(verifyTwilioSignature('12345', url, params('+14158675310'), undefined)).toBe(false);
  });

  it('reads status callbacks and inbound messages', () => {
    expect(twilioWebhook.parse(form({ MessageSid: 'SM1', MessageStatus: 'delivered', To: '+79161234567' })))
      .toEqual({ inbound: [], receipts: [{ providerMessageId: 'SM1', state: 'delivered', reason: 'delivered' }] });
    expect(twilioWebhook.parse(form({ MessageSid: 'SM2', MessageStatus: 'undelivered', ErrorCode: '30003' })))
      .toEqual({ inbound: [], receipts: [{ providerMessageId: 'SM2', state: 'failed', reason: 'undelivered (30003)' }] });
    expect(twilioWebhook.parse(form({ MessageSid: 'SM3', MessageStatus: 'sent' }))).toMatchObject({ receipts: [{ state: 'pending' }] });
    expect(twilioWebhook.parse(form({ MessageSid: 'SM4', From: '+79161234567', To: '+15005550006', Body: 'Stop.' })))
      .toEqual({ receipts: [], inbound: [{ from: '+79161234567', text: 'Stop.', providerMessageId: 'SM4' }] });
    expect(twilioWebhook.parse(form({ Foo: 'bar' }))).toHaveProperty('error');
  });
});
