import type { Db } from '../../db/database';
import type { BlockedDeps } from '../telegram/suppress';
import { ingestEvent } from '../../engine/ingest-event';

/** The event a VK user the community cannot write to emits once: `{userId, reason}`. */
export const VK_BLOCKED = 'vk.blocked';

/** Stops all sends to a VK user: a `suppressions` row (channel `vk`); true only when there was none before. */
export async function suppressVk(db: Db, userId: string, reason: string, at: number): Promise<boolean> {
  const res = await db.insertInto('suppressions').values({ channel: 'vk', address: userId, reason, at })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Lifts a VK user's suppression (the user wrote to or allowed the community again); true when there was one. */
export async function unsuppressVk(db: Db, userId: string): Promise<boolean> {
  return Number((await db.deleteFrom('suppressions').where('channel', '=', 'vk').where('address', '=', userId).executeTakeFirst()).numDeletedRows) > 0;
}

/**
 * VK refused to deliver to the user for good (901 not allowed, 902 privacy, 7/15 access denied…): suppress the user
 * and emit `vk.blocked` once (only when this call created the suppression), so later touches fall back at once.
 */
export async function markVkBlocked(deps: BlockedDeps, contactId: string, userId: string, at: number, reason: string): Promise<boolean> {
  if (!(await suppressVk(deps.db, userId, 'blocked', at))) return false;
  const properties = { userId, channel: 'vk', reason };
  if ('emit' in deps) await deps.emit(contactId, VK_BLOCKED, properties);
  else await ingestEvent(deps, { contactId, name: VK_BLOCKED, properties, idempotencyKey: `vk:blocked:${userId}:${at}` });
  return true;
}
