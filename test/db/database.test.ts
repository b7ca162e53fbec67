import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/db/database';
import { upsertContact } from '../../src/db/contacts';

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
  it('waits for another process that holds the write lock instead of failing a read-then-write transaction', async () => {
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
});
