import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { SendResult } from '../channel';
import type { PushChannel, VapidKeys } from './types';

/** How long a push service keeps an undelivered notification (the browser is offline): a day, by default. */
export const DEFAULT_PUSH_TTL_SECONDS = 86_400;

/** Options of the web push channel. */
export interface WebPushOptions {
  vapid: VapidKeys;
  /** Seconds a push service holds the message for an offline browser (the `TTL` header). */
  ttlSeconds?: number | undefined;
  /** Request timeout (default 10 s). */
  timeoutMs?: number | undefined;
  /** The TLS agent (tests trust their loopback push service's certificate with it). */
  agent?: Agent | undefined;
}

/**
 * Sends through the Web Push protocol (RFC 8030/8291/8292, the maintained `web-push` package): the payload is
 * encrypted for the browser (aes128gcm) and POSTed to its push service with a VAPID signature. Never throws: 201 is
 * sent; 404/410 (the subscription expired or was withdrawn) is `invalid_address`, permanent, so the subscription is
 * removed and the touch falls back; 429 and 5xx and network trouble are retryable (honouring `Retry-After`); other 4xx
 * (a payload too large, VAPID refused) are permanent.
 */
export function createWebPushChannel(o: WebPushOptions): PushChannel {
  return {
    name: 'web-push',
    async send(message) {
      try {
        const res = await webpush.sendNotification(message.target, JSON.stringify(message.payload), {
          vapidDetails: o.vapid, TTL: o.ttlSeconds ?? DEFAULT_PUSH_TTL_SECONDS, timeout: o.timeoutMs ?? 10_000,
          contentEncoding: 'aes128gcm', urgency: 'normal', ...(o.agent && { agent: o.agent }),
        });
        const location = header(res.headers, 'location');
        return { ok: true, providerMessageId: location ?? `push:${res.statusCode}`, status: 'sent' };
      } catch (err) {
        return classifyPushError(err);
      }
    },
  };
}

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/** What a push service's refusal means for the send (see createWebPushChannel). */
export function classifyPushError(err: unknown): Extract<SendResult, { ok: false }> {
  if (err instanceof webpush.WebPushError) {
    const status = err.statusCode;
    if (status === 404 || status === 410) return { ok: false, retryable: false, code: 'invalid_address', reason: `push subscription expired (HTTP ${status})` };
    if (status === 429 || status >= 500) {
      const after = Number(header(err.headers as Record<string, string>, 'retry-after'));
      return { ok: false, retryable: true, reason: `push service HTTP ${status}`, ...(Number.isFinite(after) && after > 0 && { retryAfterMs: after * 1000 }) };
    }
    return { ok: false, retryable: false, code: 'rejected', reason: `push service refused: HTTP ${status}${err.body ? ` ${String(err.body).slice(0, 200)}` : ''}` };
  }
  return { ok: false, retryable: true, reason: `push: ${(err as Error).message}` };
}
