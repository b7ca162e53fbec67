/*
 * The plain HTTP baseline: `node --import tsx scripts/bench/plain-server.ts <port>` — hono on @hono/node-server, the
 * same stack the engine serves with, answering POST /api/events with 202 {id, duplicate} after parsing the JSON body.
 */
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const port = Number(process.argv[2] ?? 3999);
const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.post('/api/events', async (c) => {
  const body = (await c.req.json()) as { name?: unknown };
  if (typeof body.name !== 'string') return c.json({ error: { code: 'bad_request', message: 'name' } }, 400);
  return c.json({ id: `ev_${randomUUID().replace(/-/g, '')}`, duplicate: false }, 202);
});
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => process.stdout.write(`plain server on ${port}\n`));
