import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { createWebPushChannel } from '../../../src/channels/push/web-push-channel';
import type { PushChannel } from '../../../src/channels/push/types';
import { startFakePushService } from '../../helpers/fake-push-service';

describe('channels/push/web-push-channel (a loopback push service)', () => {
  let svc: Awaited<ReturnType<typeof startFakePushService>>;
  let channel: PushChannel;
  const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:school@example.test' };
  beforeAll(async () => {
    svc = await startFakePushService();
    channel = createWebPushChannel({ vapid, ttlSeconds: 3600, agent: svc.agent });
  });
  afterAll(async () => { await svc?.close(); });

  const send = (target: { endpoint: string; keys: { p256dh: string; auth: string } }) =>
    channel.send({ target, payload: { title: 'Эфир через час', body: 'Анна, начинаем в 19:00', url: 'https://funnels.example.test/t/c/lk_1', tag: 'dl_1' } }, { deliveryId: 'dl_1' });

  it('posts the payload encrypted for the browser, with TTL and a VAPID signature; 201 is sent', async () => {
    const browser = svc.browser();
    const result = await send(browser);
    expect(result).toMatchObject({ ok: true, status: 'sent', providerMessageId: expect.stringMatching(/^\/messages\//) });
    const req = svc.got.at(-1)!;
    expect(req.status).toBe(201);
    expect(req.headers.ttl).toBe('3600');
    expect(req.headers['content-encoding']).toBe('aes128gcm');
    expect(req.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`));
    expect(req.payload).toEqual({ title: 'Эфир через час', body: 'Анна, начинаем в 19:00', url: 'https://funnels.example.test/t/c/lk_1', tag: 'dl_1' });
  });

  it('reads 404 and 410 as an expired subscription: permanent, invalid_address', async () => {
    for (const status of [404, 410]) {
      const browser = svc.browser();
      svc.answer(browser.endpoint, status);
      expect(await send(browser)).toEqual({ ok: false, retryable: false, code: 'invalid_address', reason: `push subscription expired (HTTP ${status})` });
    }
  });

  it('retries 429 (after its Retry-After) and 5xx; other 4xx are permanent', async () => {
    const browser = svc.browser();
    svc.answer(browser.endpoint, 429, 503, 413);
    expect(await send(browser)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
    expect(await send(browser)).toMatchObject({ ok: false, retryable: true, reason: 'push service HTTP 503' });
    expect(await send(browser)).toMatchObject({ ok: false, retryable: false, code: 'rejected' });
    expect(await send(browser)).toMatchObject({ ok: true });
  });

  it('reads an unreachable push service as retryable', async () => {
    const browser = svc.browser();
    const result = await send({ ...browser, endpoint: 'https://127.0.0.1:9/push/x' });
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});
