import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsChannelFromEnv } from '../../../src/channels/sms/env';
import { smscWebhook } from '../../../src/channels/sms/smsc';
import { startFakeSmsc } from '../../helpers/fake-smsc';

const form = (fields: Record<string, string>) => ({ method: 'POST', url: 'http://x/', headers: {}, query: {}, form: new URLSearchParams(fields) });

describe('SMSC.ru provider', () => {
  let fake: Awaited<ReturnType<typeof startFakeSmsc>>;
  beforeAll(async () => { fake = await startFakeSmsc({ login: 'school', password: 's3cret', cost: '5.8', cnt: 2 }); });
  afterAll(async () => { await fake.close(); });

  const channel = (env: Record<string, string> = {}) =>
    createSmsChannelFromEnv({ SMS_PROVIDER: 'smsc', SMSC_LOGIN: 'school', SMSC_PASSWORD: 's3cret', SMS_API_ROOT: fake.url, ...env })!;

  it('posts login, psw, phones, mes with fmt=3, utf-8, cost=3 and returns id:phone, parts and cost', async () => {
    const text = 'Ваш урок 2 готов: https://school.example/l/2';
    const result = await channel({ SMS_SENDER: 'School' }).send({ to: '+79161234567', text }, { deliveryId: 'dl_1' });
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/sys/send.php');
    expect(req.form).toEqual({ login: 'school', psw: 's3cret', phones: '+79161234567', mes: text, fmt: '3', charset: 'utf-8', cost: '3', sender: 'School' });
    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^\d+:79161234567$/), status: 'sent', segments: 2, cost: 5.8 });
  });

  it.each([
    [7, { retryable: false, code: 'invalid_address' }],
    [8, { retryable: false, code: 'invalid_address' }],
    [6, { retryable: false, code: 'rejected' }],
    [3, { retryable: false }],
    [1, { retryable: false }],
    [9, { retryable: true, retryAfterMs: 60_000 }],
    [4, { retryable: true, retryAfterMs: 60_000 }],
  ] as const)('maps error_code %i', async (code, expected) => {
    fake.script({ kind: 'error', code });
    const result = await channel().send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_2' });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^smsc ${code}: `)), ...expected });
  });

  it('answers bad credentials as permanent and HTTP 503 as temporary', async () => {
    expect(await channel({ SMSC_PASSWORD: 'nope' }).send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_3' }))
      .toEqual({ ok: false, retryable: false, reason: 'smsc 2: authorise error' });
    fake.script({ kind: 'server_error' });
    expect(await channel().send({ to: '+79161234567', text: 'x' }, { deliveryId: 'dl_4' }))
      .toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('HTTP 503') });
  });
});

describe('SMSC.ru callbacks', () => {
  it('reads status callbacks: 1 delivered, 20/22/25 failed, 0/-1 pending', () => {
    expect(smscWebhook.parse(form({ id: '42', phone: '79161234567', status: '1', ts: '1740823200' })))
      .toEqual({ inbound: [], receipts: [{ providerMessageId: '42:79161234567', state: 'delivered', at: 1740823200000, reason: 'status 1' }] });
    expect(smscWebhook.parse(form({ id: '43', phone: '+7 916 123-45-67', status: '20', err: '1' })))
      .toEqual({ inbound: [], receipts: [{ providerMessageId: '43:79161234567', state: 'failed', at: undefined, reason: 'status 20 cannot be delivered, err 1' }] });
    expect(smscWebhook.parse(form({ id: '44', phone: '79161234567', status: '0' }))).toMatchObject({ receipts: [{ state: 'pending' }] });
    expect(smscWebhook.parse(form({ id: '45', phone: '79161234567', status: '-1' }))).toMatchObject({ receipts: [{ state: 'pending' }] });
  });

  it('reads inbound SMS (phone, mes)', () => {
    expect(smscWebhook.parse(form({ sms_id: '9001', phone: '79161234567', mes: 'СТОП', to: '79037654321' })))
      .toEqual({ receipts: [], inbound: [{ from: '79161234567', text: 'СТОП', at: undefined, providerMessageId: '9001' }] });
  });

  it('refuses callbacks without id, phone or a numeric status', () => {
    expect(smscWebhook.parse(form({ id: '1', status: '1' }))).toHaveProperty('error');
    expect(smscWebhook.parse(form({ id: '1', phone: '7916', status: 'ok' }))).toHaveProperty('error');
    expect(smscWebhook.parse(form({}))).toHaveProperty('error');
  });
});
