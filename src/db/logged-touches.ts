import type { Db } from './database';
import type { LoggedTouchRow } from './schema';

/** Stores logged staff and offline touches as they were logged (their ledger rows are `recordLoggedTouch`'s). */
export async function insertLoggedTouches(db: Db, rows: readonly LoggedTouchRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('logged_touches').values([...rows]).execute();
}

/** The contact's logged touches, oldest first. */
export async function loggedTouchesOf(db: Db, contactId: string, limit = 2000): Promise<LoggedTouchRow[]> {
  return db.selectFrom('logged_touches').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').limit(limit).execute();
}

/** Erasure: the contact's logged touches keep kind, staff member, time and value, but lose the free-text outcome and notes. */
export async function anonymiseLoggedTouches(db: Db, contactId: string): Promise<void> {
  await db.updateTable('logged_touches').set({ outcome: null, notes: null }).where('contact_id', '=', contactId).execute();
}
