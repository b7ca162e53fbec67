import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Agent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// http_ece is web-push's own encryption library (its dependency, untyped): here the receiving browser's side of RFC 8291.
const ece = createRequire(import.meta.url)('http_ece') as { decrypt(body: Buffer, params: { version: string; privateKey: unknown; authSecret: string }): Buffer };

/** One request the push service got, with the notification decrypted as the browser would. */
export interface PushRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The decrypted payload (JSON), or null when it could not be decrypted. */
  payload: Record<string, unknown> | null;
  status: number;
}

/** A browser's side of one subscription: what `PushSubscription.toJSON()` gives, and its private key. */
export interface FakeBrowser {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

let tls: { key: Buffer; cert: Buffer } | undefined;

/** A throwaway self-signed certificate for 127.0.0.1 (web-push speaks HTTPS only), made once per test process with openssl. */
function loopbackCertificate(): { key: Buffer; cert: Buffer } {
  if (tls) return tls;
  const dir = mkdtempSync(join(tmpdir(), 'af-push-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    return tls;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A push service on loopback speaking RFC 8030 as the browsers' services do: `POST /push/<id>` with an aes128gcm
 * body, `TTL` and a VAPID `Authorization: vapid t=…, k=…`; answers 201 with a `Location`, or the statuses scripted
 * for that subscription (404/410 for an expired one, 429 with Retry-After, …). It decrypts what it gets with the
 * browser's private key, so tests read the notification a browser would show.
 */
export async function startFakePushService() {
  const { key, cert } = loopbackCertificate();
  const browsers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: string }>();
  const scripted = new Map<string, number[]>();
  const got: PushRequest[] = [];
  const server: Server = createServer({ key, cert }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '';
    const id = path.replace(/^\/push\//, '');
    const browser = browsers.get(id);
    let payload: Record<string, unknown> | null = null;
    try {
      if (browser) payload = JSON.parse(ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: browser.ecdh, authSecret: browser.auth }).toString('utf8'));
    } catch {
      payload = null;
    }
    const status = scripted.get(id)?.shift() ?? (browser ? 201 : 404);
    got.push({ path, headers: req.headers, payload, status });
    res.writeHead(status, status === 201 ? { location: `/messages/${randomUUID()}` } : status === 429 ? { 'retry-after': '7' } : {}).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    got,
    /** The TLS agent that trusts this service's certificate (the web push channel's `agent`). */
    agent: new Agent({ ca: cert }),
    /** A new browser subscription on this service. */
    browser(): FakeBrowser {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      const id = randomUUID();
      browsers.set(id, { ecdh, auth });
      return { endpoint: `${base}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    /** The statuses the service answers for a subscription's next requests (then 201 again). */
    answer(endpoint: string, ...statuses: number[]) {
      scripted.set(endpoint.split('/push/')[1]!, statuses);
    },
    /** Forgets a subscription for good: every later request is 410 Gone. */
    expire(endpoint: string) {
      const id = endpoint.split('/push/')[1]!;
      scripted.set(id, Array.from({ length: 100 }, () => 410));
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
