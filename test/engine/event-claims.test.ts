import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database';
import { upsertContact } from '../../src/db/contacts';
import { claimContactEvents, claimEvents } from '../../src/engine/event-claims';
import { storeEvent } from '../../src/engine/store-event';
import { freshDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db';

/*
 * What the dispatcher relies on, on the run's database (SQLite or TEST_DB=postgres): events come back as stored, and
 * claims of two dispatchers — two handles (two pools on PostgreSQL) on one database, claiming at the same time — never
 * hand the same event, or the same contact, to both. On SQLite the second dispatcher shares the handle: two
 * better-sqlite3 connections in one process cannot wait for each other (the busy wait blocks the thread that would
 * commit), and across processes `BEGIN IMMEDIATE` makes claims take turns as the handle's one connection does here.
 */

describe('engine/event-claims', () => {
  let fresh: TestDatabase;
  let other: Db;
  beforeEach(async () => {
    fresh = await freshDatabase();
    other = TEST_DB === 'postgres' ? openDatabase(fresh.target) : fresh.db;
  });
  afterEach(async () => {
    if (other !== fresh.db) await other.destroy();
    await fresh.close();
  });

  it('stores an event with its value and times as given, ids in the order stored', async () => {
    const { contact } = await upsertContact(fresh.db, { email: 'anna@example.test' }, 'api');
    const first = await storeEvent(fresh.db, { email: 'ANNA@example.test', name: 'order.paid', value: 1234.56, properties: { sku: 'x' }, occurredAt: '2026-12-01T10:00:00.000Z' }, 1_800_000_000_000);
    const second = await storeEvent(fresh.db, { contactId: contact.id, name: 'order.paid', value: 0.1 }, 1_800_000_000_000);
    expect(first.row).toMatchObject({ contact_id: contact.id, value: 1234.56, occurred_at: Date.parse('2026-12-01T10:00:00.000Z'), received_at: 1_800_000_000_000, dispatched_at: null });
    expect(second.row.value).toBe(0.1);
    const rows = await fresh.db.selectFrom('events').select(['id', 'value']).orderBy('id').execute();
    expect(rows).toEqual([{ id: first.row.id, value: 1234.56 }, { id: second.row.id, value: 0.1 }]);
  });

  it('stores an event nothing could care about as waiting when an earlier event of the contact is being stored meanwhile', async () => {
    const { contact } = await upsertContact(fresh.db, { externalId: 'a' }, 'api');
    let later: Promise<Awaited<ReturnType<typeof storeEvent>>> | undefined;
    await fresh.db.transaction().execute(async (trx) => {
      await storeEvent(trx, { contactId: contact.id, name: 'signed_up' }, 1000); // an entry event: it waits for the dispatcher
      later = storeEvent(fresh.db, { contactId: contact.id, name: 'site.visited' }, 1001, true);
      await new Promise((r) => setTimeout(r, 200));
    });
    // Marked dispatched it would never reach the enrollment the entry event is about to make.
    expect((await later!).row.dispatched_at).toBeNull();
  });

  it('never hands an event or a contact to two dispatchers claiming at the same time', async () => {
    const contacts: string[] = [];
    for (let c = 0; c < 8; c++) contacts.push((await upsertContact(fresh.db, { externalId: `c${c}` }, 'api')).contact.id);
    for (let n = 0; n < 10; n++) for (const contactId of contacts) await storeEvent(fresh.db, { contactId, name: 'page.viewed', properties: { n } }, 1000 + n);
    const opts = { now: 5000, leaseMs: 60_000, limit: 7, busy: new Set<string>(), needsNothing: () => false, dispatchedAt: 5000 };
    const claimed = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => claimEvents(i % 2 ? other : fresh.db, opts).then((r) => r.rows)),
      ...contacts.map((c, i) => claimContactEvents(i % 2 ? fresh.db : other, c, { now: 5000, leaseMs: 60_000, limit: 100 })),
    ]);
    const ids = claimed.flat().map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length); // no event twice
    const owners = new Map<string, number>();
    claimed.forEach((rows, i) => rows.forEach((r) => {
      expect(owners.get(r.contact_id) ?? i, `contact ${r.contact_id} claimed by two`).toBe(i);
      owners.set(r.contact_id, i);
    }));
    const leased = await fresh.db.selectFrom('events').select('id').where('dispatch_lease_until', '=', 65_000).execute();
    expect(leased.map((r) => r.id).sort()).toEqual([...ids].sort());
  });
});
