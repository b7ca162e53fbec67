import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_HEADER, postSignedJson } from '../../src/handoff/post-webhook';
import { SIGNATURE_HEADER, signatureHeader, verifySignature, webhookSigningSecret } from '../../src/handoff/signature';

const SECRET = 'whsec-test-0123456789abcdef';

/** A receiver on loopback that verifies like the README tells integrators to, and answers what the test scripts. */
async function startReceiver() {
  const got: Array<{ raw: string; headers: IncomingMessage['headers']; verified: ReturnType<typeof verifySignature> }> = [];
  const answers: number[] = [];
  let delayMs = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const verified = verifySignature(SECRET, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, raw);
    got.push({ raw, headers: req.headers, verified });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const status = answers.shift() ?? (verified.ok ? 200 : 401);
    res.writeHead(status, status >= 300 && status < 400 ? { location: 'https://elsewhere.example/' } : {}).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`, got, answers,
    slow: (ms: number) => { delayMs = ms; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('handoff: signed JSON posts', () => {
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => { rx = await startReceiver(); });
  afterAll(async () => { await rx.close(); });

  const lead = { type: 'call.requested', contact: { id: 'ct_1', name: 'Анна', phone: '+79161234567' }, funnel: { id: 'webinar' } };

  it('posts the payload with a signature the receiver verifies, and a delivery id for deduplication', async () => {
    const result = await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, deliveryId: 'dl_42' });
    expect(result).toEqual({ ok: true, status: 200, deliveryId: 'dl_42' });
    const req = rx.got.at(-1)!;
    expect(JSON.parse(req.raw)).toEqual(lead);
    expect(req.verified).toMatchObject({ ok: true });
    expect(req.headers[DELIVERY_HEADER.toLowerCase()]).toBe('dl_42');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers[SIGNATURE_HEADER.toLowerCase()]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('a tampered body, a wrong secret, an old timestamp or a missing header does not verify', () => {
    const body = JSON.stringify(lead);
    const now = 1_750_000_000;
    const header = signatureHeader(SECRET, body, now);
    expect(verifySignature(SECRET, header, body, { now })).toEqual({ ok: true, timestamp: now });
    expect(verifySignature(SECRET, header, body.replace('Анна', 'Борис'), { now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('another-secret-0123456789', header, body, { now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(SECRET, header, body, { now: now + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(SECRET, header, body, { now: now - 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(SECRET, header, body, { now: now + 300 })).toMatchObject({ ok: true });
    expect(verifySignature(SECRET, undefined, body, { now })).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(SECRET, 'v1=abc', body, { now })).toEqual({ ok: false, reason: 'malformed' });
    // A rotation: the old and the new signature side by side; either secret verifies.
    const both = `${header},v1=${signatureHeader('next-secret-0123456789', body, now).split('v1=')[1]}`;
    expect(verifySignature('next-secret-0123456789', both, body, { now })).toMatchObject({ ok: true });
  });

  it('a tampered request sent to the receiver is refused there', async () => {
    const body = JSON.stringify(lead);
    const header = signatureHeader(SECRET, body, Math.floor(Date.now() / 1000));
    const res = await fetch(rx.url, { method: 'POST', body: body.replace('+79161234567', '+79990000000'), headers: { [SIGNATURE_HEADER]: header } });
    expect(res.status).toBe(401);
    expect(rx.got.at(-1)!.verified).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('says whether a retry can help: 5xx, 429 and timeouts yes; 4xx and redirects no', async () => {
    rx.answers.push(500, 429, 400, 302);
    expect(await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, deliveryId: 'a' })).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, deliveryId: 'b' })).toMatchObject({ ok: false, retryable: true, status: 429 });
    expect(await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, deliveryId: 'c' })).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, deliveryId: 'd' })).toMatchObject({ ok: false, retryable: false, status: 302, reason: 'redirect 302 not followed' });
    rx.slow(500);
    expect(await postSignedJson({ url: rx.url, payload: lead, secret: SECRET, timeoutMs: 100 })).toMatchObject({ ok: false, retryable: true, status: null, reason: 'timeout' });
    rx.slow(0);
    expect(await postSignedJson({ url: 'http://127.0.0.1:9/nothing', payload: lead, secret: SECRET })).toMatchObject({ ok: false, retryable: true, status: null });
  });

  it('derives a stable signing secret from SECRET_KEY unless WEBHOOK_SECRET is set', () => {
    expect(webhookSigningSecret(undefined, 'k'.repeat(32))).toBe(webhookSigningSecret(undefined, 'k'.repeat(32)));
    expect(webhookSigningSecret(undefined, 'k'.repeat(32))).not.toBe(webhookSigningSecret(undefined, 'j'.repeat(32)));
    expect(webhookSigningSecret('explicit-secret-0123', 'k'.repeat(32))).toBe('explicit-secret-0123');
  });
});
