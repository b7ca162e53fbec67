import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, openMigratedDatabase } from '../../src/db/database';
import { upsertContact } from '../../src/db/contacts';
import { freshDatabase, TEST_DB } from '../helpers/test-db';

/** Another process (a worker) holding the write lock for `ms`, writing a contact; resolves once it holds the lock. */
function writerProcess(file: string, ms: number): Promise<{ done: Promise<number | null> }> {
  const code = `
    const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO contacts (id, email, attributes, created_at, updated_at) VALUES ('ct_other', 'other@example.test', '{}', 0, 0)").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
    db.exec('COMMIT');
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<number | null>((r) => child.once('exit', r));
  return new Promise((resolve) => child.stdout!.once('data', () => resolve({ done })));
}

describe('db/database', () => {
  it.runIf(TEST_DB === 'sqlite')('waits for another process that holds the write lock instead of failing a read-then-write transaction', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'af-db-')), 'db.sqlite');
    const db = await openMigratedDatabase(file);
    try {
      const other = await writerProcess(file, 400);
      // upsertContact reads, then writes, in one transaction: the other process commits in between.
      const { contact, created } = await upsertContact(db, { email: 'anna@example.test', consent: { email: true } }, 'test');
      expect(created).toBe(true);
      expect(await other.done).toBe(0);
      const emails = (await db.selectFrom('contacts').select('email').orderBy('email').execute()).map((r) => r.email);
      expect(emails).toEqual(['anna@example.test', 'other@example.test']);
      expect(contact.email).toBe('anna@example.test');
    } finally {
      await db.destroy();
    }
  });

  it.runIf(TEST_DB === 'postgres')('lets read-then-write transactions of two processes take turns, as SQLite does: concurrent upserts of one address all succeed, once created', async () => {
    const { db, target, close } = await freshDatabase();
    const other = openDatabase(target); // a second pool, as a worker process has
    try {
      const emails = Array.from({ length: 12 }, (_, i) => `twin${i}@example.test`);
      const results = await Promise.all(emails.flatMap((email) => [db, other, db, other].map((h) => upsertContact(h, { email, consent: { email: true } }, 'test'))));
      expect(results.filter((r) => r.created).map((r) => r.contact.email).sort()).toEqual(emails.sort());
      const stored = await db.selectFrom('contacts').select('email').execute();
      expect(stored).toHaveLength(emails.length);
    } finally {
      await other.destroy();
      await close();
    }
  });
});
