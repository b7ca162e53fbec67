import type { Db } from './database';

/*
 * Named leases in the shared database (migration 0015): the one table several servers agree through. Times are the
 * callers' epoch milliseconds, so the servers' clocks must agree to well under a lease's length (NTP does).
 */

/**
 * Takes or renews lease `name` for `holder` until `now + ttlMs`: true when `holder` holds it afterwards (it was free,
 * expired, or already `holder`'s), false while another holder's lease runs. One statement decides, so two callers
 * racing for a free lease never both win.
 */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
  const until = now + ttlMs;
  const inserted = await db.insertInto('leases').values({ name, holder, until })
    .onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  const updated = await db.updateTable('leases').set({ holder, until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('until', '<', now)]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Gives lease `name` up if `holder` holds it, so another holder can take it at once. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.updateTable('leases').set({ until: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
}

/** Who holds lease `name` at `now`, or null when nobody does. */
export async function leaseHolder(db: Db, name: string, now: number): Promise<string | null> {
  const row = await db.selectFrom('leases').select(['holder', 'until']).where('name', '=', name).executeTakeFirst();
  return row && row.until >= now ? row.holder : null;
}
