import { createHmac, timingSafeEqual } from 'node:crypto';
import { mac } from '../security/signed-token';

/** The header every hand-off request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const SIGNATURE_HEADER = 'X-Autofunnel-Signature';

/** How old (or how far in the future) a signed request may be: 5 minutes, against replays of a captured request. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The HMAC-SHA256 of `<timestamp>.<body>` under the secret, hex. */
function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The signature header of a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** The signing secret of hand-off requests: `WEBHOOK_SECRET`, else one derived from SECRET_KEY (stable across restarts). */
export function webhookSigningSecret(webhookSecret: string | undefined, secretKey: string): string {
  return webhookSecret ?? mac(secretKey, 'handoff-webhook', 'signing-secret');
}

/** What verification found: the request's timestamp, or why it is refused. */
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/**
 * For receivers: checks a hand-off request against the shared secret, over the raw body exactly as received (parse
 * the JSON only afterwards). Valid when one `v1=` signature matches (several are allowed, for a secret rotation) and
 * the timestamp is within `toleranceSeconds` (default 300) of `now` (unix seconds, default the clock). Constant-time.
 */
export function verifySignature(secret: string, header: string | null | undefined, rawBody: string, opts: { now?: number; toleranceSeconds?: number } = {}): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string?]);
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v!);
  if (t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(t);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
