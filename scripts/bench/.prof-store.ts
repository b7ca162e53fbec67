import SQLite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedDatabase } from '../../src/db/database';
import { storeEvent } from '../../src/engine/store-event';
import { upsertContact } from '../../src/db/contacts';

const file = join(mkdtempSync(join(tmpdir(), 'prof-')), 'db.sqlite');
const db = await openMigratedDatabase(file);
const ids: string[] = [];
for (let i = 0; i < 200; i++) ids.push((await upsertContact(db, { externalId: `x${i}` }, 'api')).contact.id);
const N = 10000;
for (let round = 0; round < 2; round++) {
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await storeEvent(db, { contactId: ids[i % 200], name: 'page.viewed', properties: { n: i }, idempotencyKey: `k${round}-${i}` }, Date.now());
  const a = (performance.now() - t0) * 1000 / N;
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL'); raw.pragma('synchronous = NORMAL'); raw.pragma('foreign_keys = ON');
  const ins = raw.prepare(`INSERT INTO events (id, contact_id, name, properties, value, idempotency_key, occurred_at, received_at, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`);
  t0 = performance.now();
  for (let i = 0; i < N; i++) raw.transaction(() => ins.run(`ev_r${round}_${i}`, ids[i % 200], 'page.viewed', '{"n":1}', null, `r${round}-${i}`, Date.now(), Date.now()))();
  const b = (performance.now() - t0) * 1000 / N;
  raw.close();
  console.log(`storeEvent ${a.toFixed(1)} µs, raw ${b.toFixed(1)} µs`);
}
await db.destroy();
const db2 = await openMigratedDatabase(file);
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  for (let b = 0; b < 10; b++) {
    await db2.transaction().execute(async (trx) => {
      for (let i = 0; i < 1000; i++) await storeEvent(trx, { contactId: ids[i % 200], name: 'page.viewed', properties: { n: i }, idempotencyKey: `t${round}-${b}-${i}` }, Date.now());
    });
  }
  console.log(`in a txn of 1000: ${((performance.now() - t0) * 1000 / 10000).toFixed(1)} µs per event`);
}
await db2.destroy();
