import { describe, expect, it } from 'vitest';
import type { SendResult, SmsMessage } from '../../../src/channels/channel';
import type { SmsProvider } from '../../../src/channels/sms/provider';
import { createSmsChannel } from '../../../src/channels/sms/sms-channel';
import { smsRuWebhook } from '../../../src/channels/sms/smsru';

/** A provider double that records what reaches it and answers as told. */
function recordingProvider(answer: SendResult | (() => Promise<SendResult>)) {
  const sent: SmsMessage[] = [];
  const provider: SmsProvider = {
    name: 'smsru', webhook: smsRuWebhook,
    async send(m) { sent.push(m); return typeof answer === 'function' ? answer() : answer; },
  };
  return { provider, sent };
}

const ok: SendResult = { ok: true, providerMessageId: 'p-1', status: 'sent' };

describe('sms channel', () => {
  it('computes the parts and prices them when the provider reports neither', async () => {
    const { provider } = recordingProvider(ok);
    const channel = createSmsChannel(provider, { pricePerSegment: 4.35 });
    expect(await channel.send({ to: '+79161234567', text: 'я'.repeat(71) }, { deliveryId: 'd' })).toEqual({ ...ok, segments: 2, cost: 8.7 });
  });

  it('leaves the cost out when no price is configured', async () => {
    const { provider } = recordingProvider(ok);
    const result = await createSmsChannel(provider).send({ to: '+79161234567', text: 'hello' }, { deliveryId: 'd' });
    expect(result).toEqual({ ...ok, segments: 1 });
    expect(result).not.toHaveProperty('cost');
  });

  it('prefers the parts and cost the provider reports', async () => {
    const { provider } = recordingProvider({ ...ok, segments: 3, cost: 1.5 });
    expect(await createSmsChannel(provider, { pricePerSegment: 10 }).send({ to: '+79161234567', text: 'hi' }, { deliveryId: 'd' }))
      .toEqual({ ...ok, segments: 3, cost: 1.5 });
  });

  it('hands the provider the number in E.164', async () => {
    const { provider, sent } = recordingProvider(ok);
    await createSmsChannel(provider).send({ to: '8 (916) 123-45-67', text: 'hi' }, { deliveryId: 'd' });
    expect(sent).toEqual([{ to: '+79161234567', text: 'hi' }]);
  });

  it('refuses an invalid number or an empty text without calling the provider', async () => {
    const { provider, sent } = recordingProvider(ok);
    const channel = createSmsChannel(provider);
    expect(await channel.send({ to: '+7 123', text: 'hi' }, { deliveryId: 'd' })).toMatchObject({ ok: false, retryable: false, code: 'invalid_address' });
    expect(await channel.send({ to: '+79161234567', text: '  ' }, { deliveryId: 'd' })).toMatchObject({ ok: false, retryable: false });
    expect(sent).toEqual([]);
  });

  it('passes provider failures through and turns a thrown error into a temporary failure', async () => {
    const failure: SendResult = { ok: false, retryable: false, code: 'blocked', reason: 'smsru 209' };
    expect(await createSmsChannel(recordingProvider(failure).provider).send({ to: '+79161234567', text: 'x' }, { deliveryId: 'd' })).toEqual(failure);
    const throwing = recordingProvider(() => Promise.reject(new Error('boom')));
    expect(await createSmsChannel(throwing.provider).send({ to: '+79161234567', text: 'x' }, { deliveryId: 'd' }))
      .toEqual({ ok: false, retryable: true, reason: 'smsru: boom' });
  });
});
