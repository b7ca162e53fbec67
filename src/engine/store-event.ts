import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database';
import type { Database, EventRow } from '../db/schema';
import { NotFoundError } from '../errors';
import { newOrderedId } from '../db/ids';
import { findContact, type ContactRef } from '../db/contacts';
import { preparedQuery } from '../db/prepared-query';

/** What is stored of an accepted event (its contact found by one of the references). */
export interface StoredEventInput extends ContactRef {
  name: string;
  properties?: Record<string, unknown> | undefined;
  value?: number | undefined;
  occurredAt?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** The stored event and whether its idempotency key had been seen before (then it is the earlier event). */
export interface StoredEvent {
  row: EventRow;
  duplicate: boolean;
}

type RefColumn = 'id' | 'external_id' | 'email' | 'phone';

/**
 * One statement for the common case: insert the event for the contact the reference names (not erased), unless its
 * idempotency key is taken. No row back means "no such contact" or "duplicate", which the slow path tells apart.
 * The value is cast to `double precision`, not `real`: PostgreSQL's real has 4 bytes (1234.56 would come back as
 * 1234.56005859375); SQLite reads both names as REAL.
 */
const insertFor = (column: RefColumn) => preparedQuery<Database, Record<string, unknown>, EventRow>((db, p) =>
  db.insertInto('events')
    .columns(['id', 'contact_id', 'name', 'properties', 'value', 'idempotency_key', 'occurred_at', 'received_at', 'dispatched_at'])
    .expression(db.selectFrom('contacts').select([
      sql<string>`cast(${p('id')} as text)`.as('id'), 'contacts.id as contact_id', sql<string>`cast(${p('name')} as text)`.as('name'),
      sql<string>`cast(${p('properties')} as text)`.as('properties'), sql<number>`cast(${p('value')} as double precision)`.as('value'),
      sql<string>`cast(${p('key')} as text)`.as('idempotency_key'), sql<number>`cast(${p('occurred')} as bigint)`.as('occurred_at'),
      sql<number>`cast(${p('received')} as bigint)`.as('received_at'),
      // Nothing to dispatch: an event no funnel enters by and no touch owns, for a contact with no enrollment and no
      // event still waiting for the dispatcher (an earlier one could enroll it) — applied the moment it is stored.
      (eb) => eb.case().when(eb.and([
        sql<boolean>`${p('settled')} = 1`,
        eb.not(eb.exists(eb.selectFrom('enrollments').select(sql`1`.as('one')).whereRef('enrollments.contact_id', '=', 'contacts.id'))),
        eb.not(eb.exists(eb.selectFrom('events as pending').select(sql`1`.as('one')).whereRef('pending.contact_id', '=', 'contacts.id').where('pending.dispatched_at', 'is', null))),
      ])).then(sql<number>`cast(${p('received')} as bigint)`).else(null).end().as('dispatched_at'),
    ]).where(`contacts.${column}`, '=', p('ref')).where('contacts.erased_at', 'is', null))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll());
const INSERTS = { id: insertFor('id'), external_id: insertFor('external_id'), email: insertFor('email'), phone: insertFor('phone') };

function reference(ref: ContactRef): { column: RefColumn; value: string } | null {
  if (ref.contactId) return { column: 'id', value: ref.contactId };
  if (ref.externalId) return { column: 'external_id', value: ref.externalId };
  if (ref.email) return { column: 'email', value: ref.email.toLowerCase() };
  if (ref.phone) return { column: 'phone', value: ref.phone };
  return null;
}

/**
 * Stores an event once per idempotency key, with an id that keeps the order events were stored in: undispatched, or
 * already dispatched when `settled` (no funnel enters by its name, no touch owns it) and the contact has no enrollment
 * and no event waiting — dispatching it would do nothing. Throws NotFoundError when the reference names no contact (or
 * an erased one); a seen key answers the earlier event.
 */
export async function storeEvent(db: Db, input: StoredEventInput, now: number, settled = false): Promise<StoredEvent> {
  // The insert reads the contact's waiting events. SQLite runs a write statement under the write lock; on PostgreSQL a
  // statement outside a transaction would not see another's uncommitted waiting event, so it takes the transaction lock.
  if (!db.isTransaction && dialectOf(db) === 'postgres') return db.transaction().execute((trx) => storeEvent(trx, input, now, settled));
  const ref = reference(input);
  if (!ref) throw new NotFoundError('contact', '');
  const { rows } = await INSERTS[ref.column](db, {
    ref: ref.value, id: newOrderedId('ev'), name: input.name, properties: JSON.stringify(input.properties ?? {}), value: input.value ?? null,
    key: input.idempotencyKey ?? null, occurred: input.occurredAt ? Date.parse(input.occurredAt) : now, received: now, settled: settled ? 1 : 0,
  });
  if (rows[0]) return { row: rows[0], duplicate: false };
  const contact = await findContact(db, input);
  if (!contact) throw new NotFoundError('contact', ref.value);
  const existing = input.idempotencyKey
    ? await db.selectFrom('events').selectAll().where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst()
    : undefined;
  if (!existing) throw new Error(`event for contact ${contact.id} was neither stored nor found by its idempotency key`);
  return { row: existing, duplicate: true };
}
