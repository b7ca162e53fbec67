import type { Api } from 'grammy';
import type { EngineDeps } from '../../engine/deps';
import type { Db } from '../../db/database';
import type { ContactRow } from '../../db/schema';

/** What handling Telegram updates needs: the engine, the key that signs /start links, and the Bot API to answer with. */
export type TelegramUpdateDeps = EngineDeps & { secretKey: string; channel: { api: Api } };

/** The contact a chat is bound to, if any (a chat belongs to at most one contact). */
export async function contactByChat(db: Db, chatId: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', chatId).executeTakeFirst();
}

/** Whether an event with this idempotency key is already stored (the update was handled before). */
export async function alreadyHandled(db: Db, idempotencyKey: string): Promise<boolean> {
  return (await db.selectFrom('events').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst()) !== undefined;
}

/** Sends the bot's own short answer; a failure (user blocked the bot meanwhile) is logged, never thrown. */
export async function say(deps: TelegramUpdateDeps, chatId: string, text: string): Promise<void> {
  try {
    await deps.channel.api.sendMessage(chatId, text);
  } catch (err) {
    deps.log.warn('telegram: could not answer', { chat: chatId, error: err });
  }
}
