import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsChannelFromEnv } from '../../../src/channels/sms/env';
import { createSmsRuProvider, smsRuWebhook } from '../../../src/channels/sms/smsru';
import { startFakeSmsRu } from '../../helpers/fake-smsru';
import { freePort } from '../../helpers/ports';

const form = (entries: Array<[string, string]>) => ({ method: 'POST', url: 'http://x/', headers: {}, query: {}, form: new URLSearchParams(entries) });

describe('SMS.ru provider', () => {
  let fake: Awaited<ReturnType<typeof startFakeSmsRu>>;
  beforeAll(async () => { fake = await startFakeSmsRu({ apiId: 'API-KEY-1', cost: '6.98', parts: 2 }); });
  afterAll(async () => { await fake.close(); });

  const channel = () => createSmsChannelFromEnv({ SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'API-KEY-1', SMS_API_ROOT: fake.url, SMS_SENDER: 'SCHOOL' })!;

  it('posts the documented form and returns the sms_id, the parts and the cost SMS.ru reports', async () => {
    const before = fake.requests.length;
    const text = 'Анна, вебинар «Python с нуля» начнётся сегодня в 19:00. Ссылка: https://school.example/w/1';
    const result = await channel().send({ to: '+79161234567', text }, { deliveryId: 'dl_1' });
    expect(fake.requests.length).toBe(before + 1);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/sms/send');
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.form).toEqual({ api_id: 'API-KEY-1', to: '79161234567', msg: text, json: '1', from: 'SCHOOL' });
    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^202503-\d+$/), status: 'sent', segments: 2, cost: 6.98 });
  });

  it('omits from when no sender is configured', async () => {
    const ch = createSmsChannelFromEnv({ SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'API-KEY-1', SMS_API_ROOT: fake.url })!;
    await ch.send({ to: '+79161234567', text: 'Hi' }, { deliveryId: 'dl_2' });
    expect(fake.requests.at(-1)!.form).not.toHaveProperty('from');
  });

  it.each([
    ['invalid_number', { retryable: false, code: 'invalid_address', reason: expect.stringContaining('smsru 202') }],
    ['stop_list', { retryable: false, code: 'blocked', reason: expect.stringContaining('smsru 209') }],
    ['no_balance', { retryable: false, reason: expect.stringContaining('smsru 201') }],
    ['unavailable', { retryable: true, reason: expect.stringContaining('smsru 220') }],
    ['server_error', { retryable: true, reason: expect.stringContaining('HTTP 500') }],
  ] as const)('maps %s to the right failure', async (kind, expected) => {
    fake.script({ kind });
    const result = await channel().send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_3' });
    expect(result).toEqual({ ok: false, ...expected });
    if (kind === 'no_balance') expect(result).not.toHaveProperty('code'); // no money says nothing about the address
  });

  it('answers a wrong api_id as a permanent failure', async () => {
    const ch = createSmsChannelFromEnv({ SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'WRONG', SMS_API_ROOT: fake.url })!;
    expect(await ch.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_4' })).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('smsru 200') });
  });

  it('answers an unreachable or silent gateway as a temporary failure', async () => {
    const closed = createSmsRuProvider({ apiId: 'k', apiRoot: `http://127.0.0.1:${await freePort()}` });
    expect(await closed.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_5' })).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('unreachable') });
    fake.script({ kind: 'hang' });
    const slow = createSmsRuProvider({ apiId: 'API-KEY-1', apiRoot: fake.url, timeoutMs: 300 });
    expect(await slow.send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_6' })).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('no answer within 300 ms') });
  });
});

describe('SMS.ru callbacks', () => {
  it('reads data[] sms_status lines: 103 delivered, 104–108/150 failed, others pending', () => {
    const parsed = smsRuWebhook.parse(form([
      ['data[0]', 'sms_status\n202503-1000001\n103\n1740823200'],
      ['data[1]', 'sms_status\n202503-1000002\n104\n1740823260'],
      ['data[2]', 'sms_status\n202503-1000003\n102\n1740823260'],
      ['data[3]', 'sms_status\r\n202503-1000004\r\n150\r\n1740823270'],
    ]));
    expect(parsed).toEqual({
      inbound: [],
      receipts: [
        { providerMessageId: '202503-1000001', state: 'delivered', at: 1740823200000, reason: '103' },
        { providerMessageId: '202503-1000002', state: 'failed', at: 1740823260000, reason: '104 expired' },
        { providerMessageId: '202503-1000003', state: 'pending', at: 1740823260000, reason: '102' },
        { providerMessageId: '202503-1000004', state: 'failed', at: 1740823270000, reason: '150 no route to number' },
      ],
    });
  });

  it('accepts PHP-style data[] keys and ignores other callback kinds', () => {
    expect(smsRuWebhook.parse(form([['data[]', 'callcheck_status\nabc\n401\n1740823200'], ['data[]', 'sms_status\nX-1\n106\n1740823200']])))
      .toEqual({ inbound: [], receipts: [{ providerMessageId: 'X-1', state: 'failed', at: 1740823200000, reason: '106 phone failure' }] });
  });

  it('refuses a body without data fields or with a broken sms_status entry', () => {
    expect(smsRuWebhook.parse(form([['foo', 'bar']]))).toHaveProperty('error');
    expect(smsRuWebhook.parse(form([['data[0]', 'sms_status\n\nabc']]))).toHaveProperty('error');
  });

  it('acknowledges with the plain text 100 SMS.ru waits for', () => {
    expect(smsRuWebhook.ack).toEqual({ body: '100', contentType: 'text/plain; charset=utf-8' });
  });
});
