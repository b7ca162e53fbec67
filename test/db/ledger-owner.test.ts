import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableWrites } from '../helpers/table-writes';

/*
 * One owner per table: only src/db/deliveries.ts writes the delivery ledger and only src/db/touch-log.ts the touch
 * log; everything else calls their named transitions. This test reads every source file under src/ and fails on a
 * write anywhere else — through kysely (insertInto/updateTable/deleteFrom/replaceInto/mergeInto) or in raw SQL — and on
 * a write whose table is not named literally, which it could not check.
 */

const OWNERS: Record<string, string> = { deliveries: 'src/db/deliveries.ts', touch_log: 'src/db/touch-log.ts' };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('the ledger has one owner', () => {
  const files = sources('src').map((f) => relative('.', f));

  it('finds the owners and the code that uses them', () => {
    for (const owner of Object.values(OWNERS)) expect(files).toContain(owner);
    const owner = readFileSync(OWNERS.deliveries!, 'utf8');
    for (const transition of ['openDelivery', 'claimSend', 'deferDelivery', 'finishDelivery', 'failPendingDelivery', 'recordEngagement', 'applyReceipt', 'markBounced', 'markUnsubscribed', 'recordPageDelivery', 'recordLoggedTouch', 'anonymiseDeliveries', 'reassignDeliveries']) {
      expect(owner).toContain(`export async function ${transition}(`);
    }
  });

  it.each(files)('%s writes the ledger tables only through their owner', (file) => {
    const writes = tableWrites(readFileSync(file, 'utf8'));
    const foreign = writes.filter((w) => ('dynamic' in w) || (w.table in OWNERS && OWNERS[w.table] !== file));
    expect(foreign).toEqual([]);
  });

  it('would catch a write through kysely, in raw SQL, or to a table it cannot name', () => {
    const sample = [
      "await db.updateTable('deliveries').set({ status: 'failed' }).execute();",
      "await trx.insertInto('touch_log').values(row).execute();",
      "await sql`UPDATE deliveries SET opened_at = ${at}`.execute(db);",
      "await sql`delete from touch_log where id = ${id}`.execute(db);",
      'await trx.updateTable(table).set(values).execute();',
      "// db.deleteFrom('deliveries') in a comment is no write",
      "await db.selectFrom('deliveries').selectAll().execute();",
      "await db.insertInto('events').values(e).execute();",
    ].join('\n');
    expect(tableWrites(sample)).toEqual([
      { table: 'deliveries' }, { table: 'touch_log' }, { dynamic: 'table' }, { table: 'events' }, { table: 'deliveries' }, { table: 'touch_log' },
    ]);
  });
});
