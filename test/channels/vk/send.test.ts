import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVkChannel } from '../../../src/channels/vk/channel';
import { randomIdFor } from '../../../src/channels/vk/keyboard';
import { startFakeVk, type FakeVk } from '../../helpers/fake-vk';

describe('vk channel (messages.send against the loopback VK API)', () => {
  let vk: FakeVk;
  beforeAll(async () => { vk = await startFakeVk(); });
  afterAll(() => vk.close());
  const channel = (o: Partial<Parameters<typeof createVkChannel>[0]> = {}) => createVkChannel({ token: vk.token, groupId: '777', apiUrl: vk.apiUrl, ...o });

  it('sends text, an inline keyboard and attachments as a form-encoded POST with the community token, v=5.199 and random_id', async () => {
    const result = await channel().send({
      peerId: '501', text: 'Привет, Анна!', attachments: ['photo-777_456239017'],
      buttons: [[{ text: 'Хочу', callbackData: 'dAAAA:want' }, { text: 'Сайт', url: 'https://funnels.example.test/t/c/lk_1' }]],
    }, { deliveryId: 'dl_a' });
    expect(result).toEqual({ ok: true, providerMessageId: `501:${vk.sent.at(-1)!.messageId}`, status: 'delivered' });
    const call = vk.calls.at(-1)!;
    expect(call.method).toBe('messages.send');
    expect(call.contentType).toContain('application/x-www-form-urlencoded');
    expect(call.params).toMatchObject({ access_token: vk.token, v: '5.199', peer_id: '501', message: 'Привет, Анна!', random_id: String(randomIdFor('dl_a')), attachment: 'photo-777_456239017' });
    expect(vk.sent.at(-1)!.keyboard).toEqual({
      inline: true,
      buttons: [[
        { action: { type: 'text', label: 'Хочу', payload: JSON.stringify({ af: 'dAAAA:want' }) } },
        { action: { type: 'open_link', link: 'https://funnels.example.test/t/c/lk_1', label: 'Сайт' } },
      ]],
    });
  });

  it('carries the same random_id on a retried send of a delivery, so VK delivers it once', async () => {
    const before = vk.sent.length;
    const first = await channel().send({ peerId: '502', text: 'once' }, { deliveryId: 'dl_retry' });
    const again = await channel().send({ peerId: '502', text: 'once' }, { deliveryId: 'dl_retry' });
    expect(again).toEqual(first);
    expect(vk.sent.length).toBe(before + 1);
  });

  it('waits out error 6 (too many requests per second) inside the send and then delivers', async () => {
    vk.failNext('messages.send', { error_code: 6, error_msg: 'Too many requests per second' });
    const started = Date.now();
    const result = await channel().send({ peerId: '503', text: 'after a pause' }, { deliveryId: 'dl_6' });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(vk.sent.at(-1)!.text).toBe('after a pause');
  });

  it('returns error 9 (flood control) as retryable later, with the wait', async () => {
    vk.failNext('messages.send', { error_code: 9, error_msg: 'Flood control' });
    expect(await channel().send({ peerId: '504', text: 'x' }, { deliveryId: 'dl_9' }))
      .toEqual({ ok: false, retryable: true, reason: 'vk 9: Flood control', retryAfterMs: 60_000 });
  });

  it('reports the cannot-send family (901, 902, 7, 15) as blocked for good, a bad request as rejected, a bad token as retryable', async () => {
    vk.blockUser(505);
    expect(await channel().send({ peerId: '505', text: 'x' }, { deliveryId: 'dl_901' }))
      .toEqual({ ok: false, retryable: false, code: 'blocked', reason: "vk 901: Can't send messages for users without permission" });
    for (const [code, msg] of [[902, "Can't send messages to this user due to their privacy settings"], [7, 'Permission to perform this action is denied'], [15, 'Access denied']] as const) {
      vk.failNext('messages.send', { error_code: code, error_msg: msg });
      expect(await channel().send({ peerId: '506', text: 'x' }, { deliveryId: `dl_${code}` })).toMatchObject({ ok: false, retryable: false, code: 'blocked' });
    }
    vk.failNext('messages.send', { error_code: 914, error_msg: 'Message is too long' });
    expect(await channel().send({ peerId: '506', text: 'x' }, { deliveryId: 'dl_914' })).toMatchObject({ ok: false, retryable: false, code: 'rejected' });
    expect(await createVkChannel({ token: 'vk1.a.wrong-token-000000000000', groupId: '777', apiUrl: vk.apiUrl }).send({ peerId: '506', text: 'x' }, { deliveryId: 'dl_5' }))
      .toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('vk 5:') });
  });

  it('reports an unreachable API as retryable', async () => {
    expect(await createVkChannel({ token: vk.token, groupId: '777', apiUrl: 'http://127.0.0.1:9' }).send({ peerId: '507', text: 'x' }, { deliveryId: 'dl_net' }))
      .toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('network') });
  });

  it('paces the community token: sends start at most perSecond a second', async () => {
    const c = channel({ perSecond: 10 });
    const from = vk.calls.length;
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => c.send({ peerId: String(600 + i), text: `n${i}` }, { deliveryId: `dl_pace_${i}` })));
    expect(vk.calls.slice(from)).toHaveLength(6);
    // Six request starts 100 ms apart: the last cannot start before 500 ms (arrival times at the peer jitter under
    // load — a slow first connection arrives late — so the bound is taken where the pacer holds it, at the sender).
    expect(Date.now() - started).toBeGreaterThanOrEqual(495);
  });
});
