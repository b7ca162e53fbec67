import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

/** The header naming one hand-off (the same on every retry of it), so a receiver can drop a duplicate. */
export const DELIVERY_HEADER = 'X-Autofunnel-Delivery';

/** One signed hand-off request. */
export interface SignedPost {
  url: string;
  /** Serialised once with JSON.stringify; exactly those bytes are signed and sent. */
  payload: unknown;
  secret: string;
  /** Identifies this hand-off across retries (default a random one). */
  deliveryId?: string | undefined;
  /** Default 10 s. */
  timeoutMs?: number | undefined;
  /** Unix seconds of the signature; default the clock. */
  now?: (() => number) | undefined;
  /** Extra request headers (the staff task's `Idempotency-Key`), sent beside the signature and delivery headers. */
  headers?: Record<string, string> | undefined;
}

/** What the receiver answered: accepted (2xx), or a failure that says whether a retry can help. */
export type SignedPostResult =
  | { ok: true; status: number; deliveryId: string }
  | { ok: false; retryable: boolean; status: number | null; reason: string; deliveryId: string };

/** Statuses a later retry can fix: timeouts, throttling, the receiver's own trouble. */
const RETRYABLE = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * Posts a JSON payload signed with HMAC-SHA256 over timestamp and body (see signature.ts for the header and
 * `verifySignature` for receivers). Never throws for the receiver's failures: 2xx is ok; 408, 425, 429, 5xx, a
 * timeout and network trouble are retryable (the caller — later a Temporal activity — retries with backoff); other
 * 4xx and redirects (never followed: the signed body is for this URL only) are final.
 */
export async function postSignedJson(p: SignedPost): Promise<SignedPostResult> {
  const deliveryId = p.deliveryId ?? randomUUID();
  const body = JSON.stringify(p.payload);
  const timestamp = p.now?.() ?? Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(p.url, {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(p.timeoutMs ?? 10_000), body,
      headers: {
        ...p.headers, 'content-type': 'application/json; charset=utf-8', 'user-agent': 'autofunnel-handoff/1',
        [SIGNATURE_HEADER]: signatureHeader(p.secret, body, timestamp), [DELIVERY_HEADER]: deliveryId,
      },
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, deliveryId };
    const reason = res.status >= 300 && res.status < 400 ? `redirect ${res.status} not followed` : `HTTP ${res.status}`;
    return { ok: false, retryable: RETRYABLE(res.status), status: res.status, reason, deliveryId };
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : `network: ${(err as Error).message}`;
    return { ok: false, retryable: true, status: null, reason, deliveryId };
  }
}
