import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { createTestApp, TOKEN, type TestApp } from './test-app';
import { serveApp, type ServedApp } from '../helpers/serve-app';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string; socket: number }

/** One request on `agent`; `socket` numbers the connection it went over. */
function send(agent: Agent, port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path, agent,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(body !== undefined && { 'content-length': Buffer.byteLength(body) }) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, socket: sockets.indexOf(req.socket!) }));
    });
    req.on('socket', (s) => { if (!sockets.includes(s)) sockets.push(s); });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const sockets: unknown[] = [];

describe('http/keep-alive', () => {
  let t: TestApp;
  let served: ServedApp;
  beforeAll(async () => {
    t = await createTestApp({ maxBodyBytes: 64 * 1024 });
    served = await serveApp(t.app);
  });
  afterAll(async () => { await served.close(); await t.close(); });

  it('answers a too-large body with 413 and Connection: close, and the next request on the keep-alive client succeeds', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const big = JSON.stringify({ email: `big${i}@example.test`, attributes: { blob: 'x'.repeat(2_000_000) } });
        const refused = await send(agent, served.port, 'POST', '/api/events', big);
        expect(refused.status).toBe(413);
        expect(refused.headers.connection).toBe('close');
        expect(JSON.parse(refused.body)).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
        const next = await send(agent, served.port, 'POST', '/api/contacts', JSON.stringify({ email: `next${i}@example.test` }));
        expect(next.status).toBe(201);
        expect(next.socket).not.toBe(refused.socket);
      }
      expect(await t.counts()).toMatchObject({ contacts: 3, events: 0 });
    } finally {
      agent.destroy();
    }
  });

  it('keeps the connection of an ordinary answer open', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = await send(agent, served.port, 'POST', '/api/contacts', JSON.stringify({ email: 'keep1@example.test' }));
      const b = await send(agent, served.port, 'GET', '/api/funnels');
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(a.headers.connection).toBe('keep-alive');
      expect(b.socket).toBe(a.socket);
    } finally {
      agent.destroy();
    }
  });

  it('uses the same fetch (undici) client for a normal request after a refused one', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    for (let i = 0; i < 3; i++) {
      const refused = await fetch(`${served.url}/api/events`, { method: 'POST', headers, body: JSON.stringify({ email: 'a@example.test', name: 'x', properties: { blob: 'y'.repeat(2_000_000) } }) });
      expect(refused.status).toBe(413);
      await refused.text();
      const next = await fetch(`${served.url}/api/contacts`, { method: 'POST', headers, body: JSON.stringify({ email: `fetch${i}@example.test` }) });
      expect(next.status).toBe(201);
    }
  });
});
