import type { CallbackQuery, ChatMemberUpdated, Message, Update } from 'grammy/types';
import type { DeliveryRow } from '../../db/schema';
import { ingestEvent } from '../../engine/ingest-event';
import { parseCallbackData } from './callback-data';
import { handleStart, startCommand } from './start-command';
import { handlePhoneShared } from './phone-share';
import { markTelegramBlocked, unsuppressTelegram } from './suppress';
import { contactByChat, type TelegramUpdateDeps } from './update-deps';

export type { TelegramUpdateDeps } from './update-deps';

/** Longest reply text kept on the event (Telegram's own message limit). */
const MAX_REPLY_CHARS = 4096;

/**
 * Applies one Bot API update: `/start [payload]` subscribes a chat (creating its contact when needed), a shared phone
 * is stored and merges contacts, a button press is `<touchId>.clicked`, a text message from a bound chat is
 * `<touchId>.replied`, blocking the bot suppresses the chat. Idempotent per
 * `update_id` (events carry `tg:<update_id>:…` keys), so a redelivered update changes nothing. Updates of other
 * kinds are ignored. Throws only for storage failures; the webhook and the poller log them and go on.
 */
export async function handleTelegramUpdate(deps: TelegramUpdateDeps, update: Update): Promise<void> {
  if (update.message) await onMessage(deps, update.update_id, update.message);
  else if (update.callback_query) await onCallback(deps, update.update_id, update.callback_query);
  else if (update.my_chat_member) await onMemberChange(deps, update.update_id, update.my_chat_member);
}

async function onMessage(deps: TelegramUpdateDeps, updateId: number, msg: Message): Promise<void> {
  if (msg.chat.type !== 'private') return;
  if (msg.contact) return handlePhoneShared(deps, updateId, msg);
  const text = msg.text ?? msg.caption;
  if (text === undefined) return;
  const payload = startCommand(msg.text);
  if (payload !== null) return handleStart(deps, updateId, msg, payload);
  if (msg.entities?.some((e) => e.type === 'bot_command' && e.offset === 0)) return;

  const chatId = String(msg.chat.id);
  const contact = await contactByChat(deps.db, chatId);
  if (!contact) return;
  const replyTo = msg.reply_to_message
    ? await deps.db.selectFrom('deliveries').selectAll().where('channel', '=', 'telegram')
      .where('provider_message_id', '=', `${chatId}:${msg.reply_to_message.message_id}`).executeTakeFirst()
    : undefined;
  const delivery = replyTo ?? await deps.db.selectFrom('deliveries').selectAll()
    .where('contact_id', '=', contact.id).where('channel', '=', 'telegram').where('sent_at', 'is not', null)
    .orderBy('sent_at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!delivery) {
    deps.log.debug('telegram: message from a bound chat with no telegram delivery yet', { chat: chatId, contact: contact.id });
    return;
  }
  await ingestEvent(deps, {
    contactId: delivery.contact_id, name: `${delivery.touch_id}.replied`, idempotencyKey: `tg:${updateId}:replied`,
    properties: { text: text.slice(0, MAX_REPLY_CHARS), funnelId: delivery.funnel_id, deliveryId: delivery.id, channel: 'telegram' },
  });
}

/** A press counts only from the chat the delivery went to (callback data is not secret, the chat is). */
async function sentToChat(deps: TelegramUpdateDeps, delivery: DeliveryRow, chatId: string): Promise<boolean> {
  if (delivery.recipient === chatId || delivery.provider_message_id?.startsWith(`${chatId}:`)) return true;
  return (await contactByChat(deps.db, chatId))?.id === delivery.contact_id;
}

async function onCallback(deps: TelegramUpdateDeps, updateId: number, query: CallbackQuery): Promise<void> {
  try {
    const parsed = parseCallbackData(query.data);
    if (!parsed) return;
    const delivery = await deps.db.selectFrom('deliveries').selectAll().where('id', '=', parsed.deliveryId).executeTakeFirst();
    const chatId = String(query.message?.chat.id ?? query.from.id);
    if (!delivery || !(await sentToChat(deps, delivery, chatId))) {
      deps.log.info('telegram: button press for an unknown delivery', { chat: chatId, delivery: parsed.deliveryId });
      return;
    }
    await ingestEvent(deps, {
      contactId: delivery.contact_id, name: `${delivery.touch_id}.clicked`, idempotencyKey: `tg:${updateId}:clicked`,
      properties: { button: parsed.buttonId, funnelId: delivery.funnel_id, deliveryId: delivery.id, channel: 'telegram' },
    });
  } finally {
    // Always stop the button's spinner; a failure here (query too old after a redelivery) changes nothing.
    await deps.channel.api.answerCallbackQuery(query.id).catch((err: unknown) => {
      deps.log.debug('telegram: answerCallbackQuery failed', { error: err });
    });
  }
}

async function onMemberChange(deps: TelegramUpdateDeps, updateId: number, change: ChatMemberUpdated): Promise<void> {
  if (change.chat.type !== 'private') return;
  const chatId = String(change.chat.id);
  const contact = await contactByChat(deps.db, chatId);
  if (!contact) return;
  const now = deps.now();
  if (change.new_chat_member.status === 'kicked') {
    await markTelegramBlocked(deps, contact.id, chatId, now);
  } else if (change.new_chat_member.status === 'member' && change.old_chat_member.status === 'kicked') {
    if (await unsuppressTelegram(deps.db, chatId, 'blocked')) {
      await ingestEvent(deps, { contactId: contact.id, name: 'telegram.unblocked', properties: { chatId }, idempotencyKey: `tg:${updateId}:unblocked` });
    }
  }
}
