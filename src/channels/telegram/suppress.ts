import type { Db } from '../../db/database';
import type { EngineDeps } from '../../engine/deps';
import { ingestEvent } from '../../engine/ingest-event';

/** Emits one event for a contact; the send pipeline (an activity, no gateway) passes its own. */
export type EmitEvent = (contactId: string, name: string, properties: Record<string, unknown>) => Promise<void>;

/** What `markTelegramBlocked` needs: the engine, or just a DB and an event emitter. */
export type BlockedDeps = EngineDeps | { db: Db; emit: EmitEvent };

/**
 * Stops all sends to a chat: a `suppressions` row (channel `telegram`, address = chat id). Returns true only when
 * the chat was not suppressed before, so callers can react exactly once. Emits nothing — that is the caller's job.
 */
export async function suppressTelegram(db: Db, chatId: string, reason: string, at: number): Promise<boolean> {
  const res = await db.insertInto('suppressions').values({ channel: 'telegram', address: chatId, reason, at })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Lifts a chat's suppression (only one with this `reason`, when given); true when there was one. */
export async function unsuppressTelegram(db: Db, chatId: string, reason?: string): Promise<boolean> {
  let q = db.deleteFrom('suppressions').where('channel', '=', 'telegram').where('address', '=', chatId);
  if (reason !== undefined) q = q.where('reason', '=', reason);
  return Number((await q.executeTakeFirst()).numDeletedRows) > 0;
}

/** Whether nothing may be sent to this chat. */
export async function isTelegramSuppressed(db: Db, chatId: string): Promise<boolean> {
  return (await db.selectFrom('suppressions').select('reason').where('channel', '=', 'telegram').where('address', '=', chatId).executeTakeFirst()) !== undefined;
}

/**
 * The user blocked the bot: suppress the chat and emit `telegram.blocked` {chatId} once (only when this call
 * created the suppression). With EngineDeps the event goes through `ingestEvent`; the send pipeline, which has no
 * gateway, passes `{ db, emit }` and its own emitter. Use `suppressTelegram` alone to suppress without an event.
 */
export async function markTelegramBlocked(deps: BlockedDeps, contactId: string, chatId: string, at: number): Promise<boolean> {
  if (!(await suppressTelegram(deps.db, chatId, 'blocked', at))) return false;
  const properties = { chatId, channel: 'telegram' };
  if ('emit' in deps) await deps.emit(contactId, 'telegram.blocked', properties);
  else await ingestEvent(deps, { contactId, name: 'telegram.blocked', properties, idempotencyKey: `tg:blocked:${chatId}:${at}` });
  return true;
}
