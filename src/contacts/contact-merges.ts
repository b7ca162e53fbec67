import type { Db } from '../db/database';

/**
 * The contact a merged-away id now names, or null when the id was never merged away. Chains stay flat (every merge
 * re-points the earlier ones), so one lookup is enough.
 */
export async function mergedInto(db: Db, contactId: string): Promise<string | null> {
  const row = await db.selectFrom('contact_merges').select('into_id').where('merged_id', '=', contactId).executeTakeFirst();
  return row?.into_id ?? null;
}

/** The id a contact has now: itself, or the contact it was merged into. */
export async function currentContactId(db: Db, contactId: string): Promise<string> {
  return (await mergedInto(db, contactId)) ?? contactId;
}

/** Records that `mergedId` lives on as `intoId`, re-pointing earlier merges into `mergedId` so chains stay one hop. */
export async function recordMerge(db: Db, mergedId: string, intoId: string, reason: string, at: number): Promise<void> {
  await db.updateTable('contact_merges').set({ into_id: intoId }).where('into_id', '=', mergedId).execute();
  await db.insertInto('contact_merges').values({ merged_id: mergedId, into_id: intoId, reason, at })
    .onConflict((oc) => oc.column('merged_id').doUpdateSet({ into_id: intoId, reason, at })).execute();
}

/** Every id that was merged into this contact (directly or through a chain). */
export async function mergedIdsOf(db: Db, contactId: string): Promise<string[]> {
  const rows = await db.selectFrom('contact_merges').select('merged_id').where('into_id', '=', contactId).orderBy('at').execute();
  return rows.map((r) => r.merged_id);
}
