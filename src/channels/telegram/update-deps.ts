import type { Api } from 'grammy';
import type { TelegramChannel } from '../channel';
import type { EngineDeps } from '../../engine/deps';
import type { Db } from '../../db/database';
import type { ContactRow } from '../../db/schema';

/** How the bot greets a /start: the configured reply, and whether it asks for the phone (a "share my phone" button). */
export interface BotGreeting {
  /** Replaces the default /start reply (`TELEGRAM_START_REPLY`). */
  startReply?: string | undefined;
  /** Offer the "share my phone" button after /start to a contact without a phone (`TELEGRAM_ASK_PHONE`). */
  askPhone?: boolean | undefined;
}

/**
 * What handling Telegram updates needs: the engine, the key that signs /start links, and the bot — its raw API for
 * callback answers and polling, its paced `send` for replies (so a reply respects the per-chat limit and 429s too) —
 * and how it greets.
 */
export type TelegramUpdateDeps = EngineDeps & { secretKey: string; channel: { api: Api; send: TelegramChannel['send'] }; greeting?: BotGreeting | undefined };

/** The contact a chat is bound to, if any (a chat belongs to at most one contact). */
export async function contactByChat(db: Db, chatId: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', chatId).executeTakeFirst();
}

/** Whether an event with this idempotency key is already stored (the update was handled before). */
export async function alreadyHandled(db: Db, idempotencyKey: string): Promise<boolean> {
  return (await db.selectFrom('events').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst()) !== undefined;
}

/** Sends the bot's own short answer through the paced channel; a failure (user blocked the bot meanwhile) is logged, never thrown. */
export async function say(deps: TelegramUpdateDeps, chatId: string, text: string, keyboard: { requestContact?: string; removeKeyboard?: boolean } = {}): Promise<void> {
  try {
    const result = await deps.channel.send({ chatId, text, ...keyboard }, { deliveryId: 'bot-reply' });
    if (!result.ok) deps.log.warn('telegram: could not answer', { chat: chatId, error: result.reason });
  } catch (err) {
    deps.log.warn('telegram: could not answer', { chat: chatId, error: err });
  }
}
