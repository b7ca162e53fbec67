import { sql } from 'kysely';
import type { Db } from './database';

/*
 * Shared send rates (migration 0015): per key the earliest time the next send may start, so a limit holds across every
 * process on the database. Times are epoch milliseconds of the callers' clocks.
 */

/**
 * Reserves the next start under `key`, `gapMs` after the previous reservation and not before `now`, and answers it;
 * one statement reads and moves the slot, so two processes never get the same start.
 */
export async function reserveSendSlot(db: Db, key: string, gapMs: number, now: number): Promise<number> {
  await db.insertInto('send_slots').values({ key, next_at: 0 }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.updateTable('send_slots')
    .set({ next_at: sql<number>`CASE WHEN next_at > ${now} THEN next_at + ${gapMs} ELSE ${now + gapMs} END` })
    .where('key', '=', key)
    .returning('next_at')
    .executeTakeFirstOrThrow();
  return Number(row.next_at) - gapMs;
}

/**
 * Holds `key` for one sender until `now + holdMs` when it is free (its next start has come): true when this caller
 * holds it. The holder moves the start on with `releaseSendSlot` when done; a holder that died frees it by the hold's end.
 */
export async function holdSendSlot(db: Db, key: string, holdMs: number, now: number): Promise<boolean> {
  await db.insertInto('send_slots').values({ key, next_at: 0 }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const res = await db.updateTable('send_slots').set({ next_at: now + holdMs })
    .where('key', '=', key).where('next_at', '<=', now).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The earliest time `key` may be held again. */
export async function nextSendSlot(db: Db, key: string): Promise<number> {
  const row = await db.selectFrom('send_slots').select('next_at').where('key', '=', key).executeTakeFirst();
  return row ? Number(row.next_at) : 0;
}

/** Ends a hold of `key`: the next start may come at `nextAt`. */
export async function releaseSendSlot(db: Db, key: string, nextAt: number): Promise<void> {
  await db.updateTable('send_slots').set({ next_at: nextAt }).where('key', '=', key).execute();
}

/** Drops slots whose next start is more than an hour past: they hold nothing back. */
export async function pruneSendSlots(db: Db, now: number): Promise<void> {
  await db.deleteFrom('send_slots').where('next_at', '<', now - 3_600_000).execute();
}
