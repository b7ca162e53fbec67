import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedDatabase } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { EventDispatcher } from '../../src/engine/event-dispatcher';
import { EventWriter } from '../../src/engine/event-writer';

const db = await openMigratedDatabase(join(mkdtempSync(join(tmpdir(), 'prof-')), 'db.sqlite'));
const gateway: any = { signal: async () => undefined, start: async () => undefined };
const core = { db, gateway, funnels: new FunnelRegistry([]), log: silentLogger, now: Date.now };
const dispatcher = new EventDispatcher(core);
if (process.env.DISPATCH) dispatcher.start();
const app = createApp({ ...core, dispatcher, ...(process.env.WRITER && { eventWriter: new EventWriter(db) }), apiToken: 'tok-0123456789abcdef' });
const ids: string[] = [];
for (let i = 0; i < 200; i++) {
  const r = await app.request('/api/contacts', { method: 'POST', headers: { authorization: 'Bearer tok-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify({ externalId: `x${i}` }) });
  ids.push(((await r.json()) as any).id);
}
const N = Number(process.env.N ?? 20000);
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const r = await app.request('/api/events', { method: 'POST', headers: { authorization: 'Bearer tok-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify({ contactId: ids[i % 200], name: 'site.visited', properties: { page: 'pricing', n: i }, idempotencyKey: `k-${i}` }) });
  if (r.status !== 202) throw new Error(await r.text());
  await r.arrayBuffer();
}
const ms = performance.now() - t0;
console.log(`${N} events in ${ms.toFixed(0)} ms: ${(ms * 1000 / N).toFixed(1)} µs each, ${(N / ms * 1000).toFixed(0)}/s`);
await dispatcher.stop();
await db.destroy();
