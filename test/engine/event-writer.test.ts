import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { upsertContact } from '../../src/db/contacts';
import { EventWriter } from '../../src/engine/event-writer';
import { NotFoundError } from '../../src/errors';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';

describe('engine/event-writer', () => {
  let fresh: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
  });
  afterEach(() => fresh.close());

  it('commits the events of concurrent calls together, each answered once stored, an unknown contact failing only its own', async () => {
    const { contact } = await upsertContact(db, { externalId: 'a' }, 'api');
    let commits = 0;
    const writer = new EventWriter({
      ...db,
      transaction: () => {
        commits += 1;
        return db.transaction();
      },
    } as Db);
    const calls = [
      ...Array.from({ length: 20 }, (_, n) => writer.store({ contactId: contact.id, name: 'site.visited', properties: { n }, idempotencyKey: `k${n % 10}` }, 1000)),
      writer.store({ contactId: 'ct_nope', name: 'site.visited' }, 1000),
    ];
    const settled = await Promise.allSettled(calls);
    expect(commits).toBe(1);
    expect(settled[20]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    const stored = settled.slice(0, 20).map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect(stored.map((s) => s?.duplicate)).toEqual(Array.from({ length: 20 }, (_, n) => n >= 10));
    expect(stored.map((s) => s?.row.id).slice(10)).toEqual(stored.map((s) => s?.row.id).slice(0, 10)); // a repeated key answers the first event
    const rows = await db.selectFrom('events').select(['id', 'properties']).orderBy('id').execute();
    expect(rows.map((r) => JSON.parse(r.properties).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // ids keep the order of the calls
  });
});
