import SQLite from 'better-sqlite3';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openMigratedDatabase } from '../../src/db/database';

let prepared: Promise<string> | undefined;

/** A fresh database with the engine's own schema (every index and trigger of the migrations) and 1,000 contacts. */
function rawFile(dir: string): Promise<string> {
  prepared ??= (async () => {
    const file = join(dir, 'raw-sqlite.sqlite');
    await (await openMigratedDatabase(file)).destroy();
    const db = new SQLite(file);
    const ins = db.prepare(`INSERT INTO contacts (id, email, attributes, created_at, updated_at) VALUES (?, ?, '{}', ?, ?)`);
    db.transaction(() => { for (let i = 0; i < 1000; i++) ins.run(`ct_raw${i}`, `raw${i}@bench.example`, Date.now(), Date.now()); })();
    db.close();
    return file;
  })();
  return prepared;
}

/**
 * The raw baseline of ingestion: better-sqlite3 with a prepared statement inserting event rows (the engine's columns,
 * WAL, synchronous=NORMAL as the engine opens it) `perTxn` rows per transaction for `seconds`; answers rows per second.
 */
export async function rawInserts(dir: string, perTxn: number, seconds: number): Promise<number> {
  const db = new SQLite(await rawFile(dir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const ins = db.prepare(`INSERT INTO events (id, contact_id, name, properties, value, idempotency_key, occurred_at, received_at, dispatched_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`);
  const txn = db.transaction((n: number, at: number) => {
    for (let i = 0; i < n; i++) ins.run(`ev_${randomUUID().replace(/-/g, '')}`, `ct_raw${i % 1000}`, 'site.visited', '{"page":"pricing"}', null, null, at, at);
  });
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  let rows = 0;
  while (Date.now() < until) {
    txn(perTxn, Date.now());
    rows += perTxn;
  }
  const rate = rows / ((Date.now() - t0) / 1000);
  db.close();
  return rate;
}
