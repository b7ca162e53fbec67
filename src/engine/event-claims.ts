import type { Db } from '../db/database';
import type { EventRow } from '../db/schema';

/*
 * The dispatcher's claims on undispatched events (`dispatch_lease_until`, migration 0008). Order is (received_at, id):
 * ids of one process sort in the order they were stored. A contact's events are only ever claimed oldest first and
 * only while none of its events is held by a live lease, so two dispatchers never work on one contact at once.
 * A claim reads then writes in one transaction, and claims take turns: `BEGIN IMMEDIATE` on SQLite, the transaction
 * lock of src/db/postgres.ts on PostgreSQL (test/engine/event-claims.test.ts hands events twice without it).
 */

const CLAIM_COLUMNS = ['id', 'contact_id', 'name', 'properties', 'value', 'idempotency_key', 'occurred_at', 'received_at', 'dispatched_at'] as const;

/** Contacts among `contactIds` with an undispatched event held by a live lease. */
async function heldContacts(db: Db, contactIds: string[], now: number): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const rows = await db.selectFrom('events').select('contact_id').distinct()
    .where('dispatched_at', 'is', null).where('dispatch_lease_until', '>=', now).where('contact_id', 'in', contactIds).execute();
  return new Set(rows.map((r) => r.contact_id));
}

async function lease(db: Db, rows: EventRow[], until: number): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.updateTable('events').set({ dispatch_lease_until: until }).where('id', 'in', rows.slice(i, i + 500).map((r) => r.id)).execute();
  }
}

/**
 * One claim round, one transaction: takes up to `limit` of the oldest claimable events, skipping contacts in `busy`
 * (this process works on them) and contacts another claim holds. Events that need nothing done — `needsNothing(row)`
 * and their contact has no enrollment and no earlier event of theirs in this round needs work — are marked dispatched
 * at once; the others are leased until `now + leaseMs` and returned in order.
 */
export async function claimEvents(db: Db, opts: { now: number; leaseMs: number; limit: number; busy: ReadonlySet<string>; needsNothing: (row: EventRow) => boolean; dispatchedAt: number }): Promise<{ rows: EventRow[]; done: number }> {
  return db.transaction().execute(async (trx) => {
    const candidates = await trx.selectFrom('events').select(CLAIM_COLUMNS)
      .where('dispatched_at', 'is', null)
      .where((eb) => eb.or([eb('dispatch_lease_until', 'is', null), eb('dispatch_lease_until', '<', opts.now)]))
      .orderBy('received_at').orderBy('id').limit(opts.limit).execute();
    const free = candidates.filter((r) => !opts.busy.has(r.contact_id));
    const contacts = [...new Set(free.map((r) => r.contact_id))];
    const held = await heldContacts(trx, contacts, opts.now);
    const enrolled = await contactsWithEnrollments(trx, contacts.filter((c) => !held.has(c)));
    const rows: EventRow[] = [];
    const nothing: string[] = [];
    const working = new Set<string>();
    for (const r of free) {
      if (held.has(r.contact_id)) continue;
      if (!working.has(r.contact_id) && !enrolled.has(r.contact_id) && opts.needsNothing(r)) {
        nothing.push(r.id);
        continue;
      }
      working.add(r.contact_id);
      rows.push(r);
    }
    await markDispatched(trx, nothing, opts.dispatchedAt);
    await lease(trx, rows, opts.now + opts.leaseMs);
    return { rows, done: nothing.length };
  });
}

/** Claims a contact's claimable events, oldest first, unless one of them is held by a live lease (then none). */
export async function claimContactEvents(db: Db, contactId: string, opts: { now: number; leaseMs: number; limit: number }): Promise<EventRow[]> {
  return db.transaction().execute(async (trx) => {
    if ((await heldContacts(trx, [contactId], opts.now)).size > 0) return [];
    const rows = await trx.selectFrom('events').select(CLAIM_COLUMNS)
      .where('contact_id', '=', contactId).where('dispatched_at', 'is', null)
      .orderBy('received_at').orderBy('id').limit(opts.limit).execute();
    await lease(trx, rows, opts.now + opts.leaseMs);
    return rows;
  });
}

/** Gives claimed events back, claimable again from `at` on (now: at once; later: after a backoff). */
export async function releaseEvents(db: Db, ids: string[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('events').set({ dispatch_lease_until: at - 1 }).where('id', 'in', ids.slice(i, i + 500)).where('dispatched_at', 'is', null).execute();
  }
}

/** Marks events dispatched that need nothing done (no enrollment, no touch, no entry), in one statement per 500. */
export async function markDispatched(db: Db, ids: string[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('events').set({ dispatched_at: at, dispatch_lease_until: null }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}

/** Of these contacts, those with any enrollment (their events may matter to a workflow, a goal or a redone conversion). */
export async function contactsWithEnrollments(db: Db, contactIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < contactIds.length; i += 500) {
    const rows = await db.selectFrom('enrollments').select('contact_id').distinct().where('contact_id', 'in', contactIds.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.contact_id);
  }
  return out;
}
