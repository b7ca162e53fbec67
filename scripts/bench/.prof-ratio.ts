import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { openMigratedDatabase } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { EventDispatcher } from '../../src/engine/event-dispatcher';
import { EventWriter } from '../../src/engine/event-writer';

const db = await openMigratedDatabase(join(mkdtempSync(join(tmpdir(), 'prof-')), 'db.sqlite'));
const core = { db, gateway: {} as any, funnels: new FunnelRegistry([]), log: silentLogger, now: Date.now };
const app = createApp({ ...core, dispatcher: new EventDispatcher(core), eventWriter: new EventWriter(db), apiToken: 'tok-0123456789abcdef' });
const plain = new Hono().post('/api/events', async (c) => { const b = await c.req.json() as any; return c.json({ id: 'x' + b.name, duplicate: false }, 202); });
const ids: string[] = [];
for (let i = 0; i < 200; i++) {
  const r = await app.request('/api/contacts', { method: 'POST', headers: { authorization: 'Bearer tok-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify({ externalId: `x${i}` }) });
  ids.push(((await r.json()) as any).id);
}
let k = 0;
async function run(a: Hono, n: number, conc: number) {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    for (let i = 0; i < n / conc; i++) {
      const j = k++;
      const r = await a.request('/api/events', { method: 'POST', headers: { authorization: 'Bearer tok-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify({ contactId: ids[j % 200], name: 'site.visited', properties: { page: 'pricing', n: j }, idempotencyKey: `k-${j}` }) });
      if (r.status !== 202) throw new Error(await r.text());
      await r.arrayBuffer();
    }
  }));
  return (performance.now() - t0) * 1000 / n;
}
for (let r = 0; r < 4; r++) {
  const p = await run(plain, 5000, 16); const e = await run(app, 5000, 16);
  console.log(`plain ${p.toFixed(0)} µs, engine ${e.toFixed(0)} µs, ratio ${(p / e).toFixed(2)}`);
}
