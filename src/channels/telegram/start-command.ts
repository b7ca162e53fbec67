import type { Message } from 'grammy/types';
import type { ContactRow } from '../../db/schema';
import { findContact } from '../../db/contacts';
import { ingestEvent } from '../../engine/ingest-event';
import { mergeContacts } from '../../contacts/merge-contacts';
import { linkReferral } from '../../referrals/link-referral';
import { BOT_REPLIES, botLanguage } from './bot-replies';
import { classifyStartPayload, type StartPayload } from './start-payload';
import { subscribeChat } from './chat-subscription';
import { alreadyHandled, contactByChat, say, type TelegramUpdateDeps } from './update-deps';

const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/;

/** The event every /start that subscribes a chat emits: `{chatId, source?}`; a funnel can use it as its `entry`. */
export const TELEGRAM_SUBSCRIBED = 'telegram.subscribed';

/** The /start payload of a message (`''` for a bare /start), or null when the message is not /start. */
export function startCommand(text: string | undefined): string | null {
  const m = text === undefined ? null : START.exec(text);
  return m ? (m[1] ?? '') : null;
}

/** A contact with nothing to know it by but its chat: what a bare /start creates. */
const chatOnly = (c: ContactRow) => c.external_id === null && c.email === null && c.phone === null;

/**
 * `/start [payload]` from a private chat — the bot as the front door. A signed deep link binds the chat to its
 * contact (a chat-only contact the chat had is merged into it); a bare /start, a public source (`/start vk_ads`) or a
 * referral (`/start ref_<code>`) binds the chat to the contact it already has, or creates one. Either way telegram
 * consent is recorded with its proof, a suppression of the chat is lifted, the source is kept as the contact's first
 * `source`, `telegram.subscribed` {chatId, source?} is emitted (entering funnels whose entry it is) and the bot greets
 * — offering the "share my phone" button when configured. A referral links the new subscriber to the referrer (its
 * own code, or a loop, is refused). A chat already subscribed gets a short answer and nothing is stored twice; a
 * redelivered update does nothing twice.
 */
export async function handleStart(deps: TelegramUpdateDeps, updateId: number, msg: Message, raw: string): Promise<void> {
  const { db } = deps;
  const chatId = String(msg.chat.id);
  const key = `tg:${updateId}:subscribed`;
  if (await alreadyHandled(db, key)) return;
  let payload: StartPayload = classifyStartPayload(deps.secretKey, raw);
  let target: ContactRow | undefined;
  if (payload.kind === 'signed') {
    target = await findContact(db, { contactId: payload.contactId });
    if (!target) payload = { kind: 'invalid' };
  }
  if (payload.kind === 'invalid') deps.log.info('telegram: /start with an unknown or forged payload, taken as a bare /start', { chat: chatId });

  // The person holds both the chat and the contact's signed link: a chat-only contact of the chat is the same person.
  const bound = await contactByChat(db, chatId);
  if (target && bound && bound.id !== target.id && chatOnly(bound)) {
    await mergeContacts(deps, target.id, bound.id, 'telegram.deep_link');
    target = await findContact(db, { contactId: target.id });
  }

  const source = payload.kind === 'source' ? payload.source : payload.kind === 'referral' ? 'referral' : payload.kind === 'signed' ? null : 'telegram';
  const wording = payload.kind === 'source' || payload.kind === 'referral' ? `/start ${raw}` : '/start';
  const now = deps.now();
  const sub = await db.transaction().execute((trx) => subscribeChat(trx, { chatId, key, from: msg.from, wording, source, secretKey: deps.secretKey, now, contact: target }));
  const lang = botLanguage(msg.from?.language_code ?? sub.contact.locale);

  let selfReferral = false;
  if (payload.kind === 'referral') {
    const outcome = await linkReferral(deps, { contactId: sub.contact.id, ref: payload.code, via: 'telegram' });
    selfReferral = !outcome.linked && outcome.reason === 'self_referral';
  }
  if (sub.unchanged) {
    await say(deps, chatId, selfReferral ? BOT_REPLIES[lang].selfReferral : BOT_REPLIES[lang].alreadySubscribed);
    return;
  }
  await ingestEvent(deps, {
    contactId: sub.contact.id, name: TELEGRAM_SUBSCRIBED, idempotencyKey: key,
    properties: { chatId, ...(payload.kind === 'source' && { source: payload.source }), ...(payload.kind === 'referral' && { source: 'referral' }) },
  });
  const greeting = deps.greeting?.startReply ?? BOT_REPLIES[lang].subscribed;
  if (deps.greeting?.askPhone && sub.contact.phone === null) {
    await say(deps, chatId, `${greeting}\n\n${BOT_REPLIES[lang].askPhone}`, { requestContact: BOT_REPLIES[lang].phoneButton });
  } else {
    await say(deps, chatId, greeting);
  }
}
