import { createHash } from 'node:crypto';
import type { Message } from 'grammy/types';
import { findContact } from '../../db/contacts';
import { ingestEvent } from '../../engine/ingest-event';
import { BOT_REPLIES, botLanguage } from './bot-replies';
import { verifyStartPayload } from './start-link';
import { unsuppressTelegram } from './suppress';
import { liftErasedSuppression } from '../../consent/erased-addresses';
import { alreadyHandled, contactByChat, say, type TelegramUpdateDeps } from './update-deps';

const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/;

/** The /start payload of a message (`''` for a bare /start), or null when the message is not /start. */
export function startCommand(text: string | undefined): string | null {
  const m = text === undefined ? null : START.exec(text);
  return m ? (m[1] ?? '') : null;
}

/**
 * `/start <payload>` from a private chat. A valid payload binds the chat to its contact (taking it from any other
 * contact: one chat, one contact), records telegram consent with its proof, lifts a suppression of the chat, emits
 * `telegram.subscribed` {chatId} and greets. Anything else gets a polite hint and stores nothing. Redelivery of the
 * same update does nothing twice.
 */
export async function handleStart(deps: TelegramUpdateDeps, updateId: number, msg: Message, payload: string): Promise<void> {
  const { db } = deps;
  const chatId = String(msg.chat.id);
  const lang = botLanguage(msg.from?.language_code);
  const contactId = verifyStartPayload(deps.secretKey, payload);
  const contact = contactId === null ? undefined : await findContact(db, { contactId });
  if (!contact) {
    if (payload) deps.log.info('telegram: /start with an unknown or forged payload', { chat: chatId });
    const bound = await contactByChat(db, chatId);
    await say(deps, chatId, bound ? BOT_REPLIES[lang].alreadySubscribed : BOT_REPLIES[lang].useLink);
    return;
  }
  const key = `tg:${updateId}:subscribed`;
  if (await alreadyHandled(db, key)) return;
  const now = deps.now();
  const source = 'telegram:/start';
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ telegram_chat_id: null, updated_at: now })
      .where('telegram_chat_id', '=', chatId).where('id', '!=', contact.id).execute();
    await trx.updateTable('contacts').set({ telegram_chat_id: chatId, updated_at: now }).where('id', '=', contact.id).execute();
    await trx.insertInto('consents').values({ contact_id: contact.id, channel: 'telegram', granted: 1, source, updated_at: now })
      .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted: 1, source, updated_at: now })).execute();
    // A deterministic id: redoing the same update after a crash adds no second proof row.
    const logId = `cl_${createHash('sha256').update(`${key}:${chatId}:${contact.id}`).digest('hex').slice(0, 32)}`;
    await trx.insertInto('consent_log').values({
      id: logId, contact_id: contact.id, channel: 'telegram', granted: 1, source, ip: null, user_agent: null, wording: '/start', at: now,
    }).onConflict((oc) => oc.column('id').doNothing()).execute();
    await unsuppressTelegram(trx, chatId);
    await liftErasedSuppression(trx, deps.secretKey, 'telegram', chatId);
  });
  await ingestEvent(deps, { contactId: contact.id, name: 'telegram.subscribed', properties: { chatId }, idempotencyKey: key });
  await say(deps, chatId, BOT_REPLIES[botLanguage(msg.from?.language_code ?? contact.locale)].subscribed);
}
