import type { Message } from 'grammy/types';
import type { ContactRow } from '../../db/schema';
import { findContact } from '../../db/contacts';
import { normalizePhone } from '../../contacts/phone';
import { mergeContacts } from '../../contacts/merge-contacts';
import { liftErasedSuppression } from '../../consent/erased-addresses';
import { ingestEvent } from '../../engine/ingest-event';
import { ConflictError } from '../../errors';
import { BOT_REPLIES, botLanguage } from './bot-replies';
import { proofId, subscribeChat } from './chat-subscription';
import { TELEGRAM_SUBSCRIBED } from './start-command';
import { alreadyHandled, contactByChat, say, type TelegramUpdateDeps } from './update-deps';

/** The event a shared phone emits on the contact that keeps it: `{chatId, merged}`. */
export const TELEGRAM_PHONE_SHARED = 'telegram.phone_shared';

/** The consent source of a phone shared through the bot. */
export const PHONE_SOURCE = 'telegram:phone';

/**
 * The user shared a contact card in a private chat. Only their own card counts (Telegram's "share my phone" button
 * sends `contact.user_id` = the sender; a card forwarded from the address book is someone else's and is refused).
 * The phone is stored in E.164 with SMS consent and its proof (source `telegram:phone`, wording = the bot's request
 * and its button, the time). When another contact already has that phone, the chat's contact is merged into it (the
 * owner of the phone survives, see mergeContacts) and the chat moves along; two different identities are not merged
 * (logged, the phone stays with its owner). Emits `telegram.phone_shared` {chatId, merged} on the contact that keeps
 * the chat; a redelivered update does nothing twice.
 */
export async function handlePhoneShared(deps: TelegramUpdateDeps, updateId: number, msg: Message): Promise<void> {
  const { db } = deps;
  const shared = msg.contact!;
  const chatId = String(msg.chat.id);
  const lang = botLanguage(msg.from?.language_code);
  if (!msg.from || shared.user_id !== msg.from.id) {
    await say(deps, chatId, BOT_REPLIES[lang].phoneNotOwn);
    return;
  }
  const key = `tg:${updateId}:phone_shared`;
  if (await alreadyHandled(db, key)) return;
  const phone = normalizePhone(shared.phone_number.startsWith('+') ? shared.phone_number : `+${shared.phone_number}`);
  if (phone === null) {
    await say(deps, chatId, BOT_REPLIES[lang].phoneInvalid);
    return;
  }

  let contact = await contactByChat(db, chatId) ?? await subscribeFirst(deps, updateId, msg);
  const owner = await findContact(db, { phone });
  let merged = false;
  if (owner && owner.id !== contact.id) {
    try {
      await mergeContacts(deps, owner.id, contact.id, TELEGRAM_PHONE_SHARED);
      contact = owner;
      merged = true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      deps.log.warn('telegram: a shared phone belongs to a different person, not merged', { chat: chatId, contact: contact.id, owner: owner.id });
    }
  }
  const keeps = merged || !owner || owner.id === contact.id;
  const now = deps.now();
  const wording = `${BOT_REPLIES[lang].askPhone} [${BOT_REPLIES[lang].phoneButton}]`;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ telegram_chat_id: null, updated_at: now }).where('telegram_chat_id', '=', chatId).where('id', '!=', contact.id).execute();
    await trx.updateTable('contacts').set({ telegram_chat_id: chatId, ...(keeps && { phone }), updated_at: now }).where('id', '=', contact.id).execute();
    if (!keeps) return;
    await trx.insertInto('consents').values({ contact_id: contact.id, channel: 'sms', granted: 1, source: PHONE_SOURCE, updated_at: now })
      .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted: 1, source: PHONE_SOURCE, updated_at: now })).execute();
    await trx.insertInto('consent_log').values({
      id: proofId(key, 'sms', contact.id), contact_id: contact.id, channel: 'sms', granted: 1, source: PHONE_SOURCE, ip: null, user_agent: null, wording, at: now,
    }).onConflict((oc) => oc.column('id').doNothing()).execute();
    // The person gave the number themselves: an erasure suppression of it is lifted, as a form's consent does.
    await liftErasedSuppression(trx, deps.secretKey, 'sms', phone);
  });
  await ingestEvent(deps, { contactId: contact.id, name: TELEGRAM_PHONE_SHARED, idempotencyKey: key, properties: { chatId, merged } });
  await say(deps, chatId, BOT_REPLIES[lang].phoneSaved, { removeKeyboard: true });
}

/** A phone shared before any /start: the chat is subscribed first, as a bare /start would. */
async function subscribeFirst(deps: TelegramUpdateDeps, updateId: number, msg: Message): Promise<ContactRow> {
  const chatId = String(msg.chat.id);
  const key = `tg:${updateId}:subscribed`;
  const sub = await deps.db.transaction().execute((trx) => subscribeChat(trx, {
    chatId, key, from: msg.from, wording: 'shared their phone number with the bot', source: 'telegram', secretKey: deps.secretKey, now: deps.now(),
  }));
  await ingestEvent(deps, { contactId: sub.contact.id, name: TELEGRAM_SUBSCRIBED, idempotencyKey: key, properties: { chatId } });
  return sub.contact;
}
