import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { User } from 'grammy/types';
import type { ContactRow, Database } from '../../db/schema';
import { newId } from '../../db/ids';
import { parseJsonObject } from '../../db/json';
import { liftErasedSuppression } from '../../consent/erased-addresses';
import { unsuppressTelegram } from './suppress';

type Trx = Transaction<Database>;

/** The consent source of every Telegram /start. */
export const START_SOURCE = 'telegram:/start';

/** What a /start does to the chat's contact. */
export interface ChatSubscription {
  contact: ContactRow;
  /** A contact created by this /start (the bot was its front door). */
  created: boolean;
  /** The chat was bound to this contact, with telegram consent, and not suppressed before: nothing new happened. */
  unchanged: boolean;
}

/** A deterministic id per update: redoing the same update after a crash adds no second proof row. */
export function proofId(key: string, ...parts: string[]): string {
  return `cl_${createHash('sha256').update([key, ...parts].join(':')).digest('hex').slice(0, 32)}`;
}

/** The Telegram user's name as a contact name; null when Telegram sent none. */
function userName(from: User | undefined): string | null {
  const name = [from?.first_name, from?.last_name].filter(Boolean).join(' ').trim();
  return name ? name.slice(0, 200) : null;
}

/** A BCP 47 locale from the user's Telegram language, when it is one. */
function userLocale(from: User | undefined): string | null {
  const code = from?.language_code?.toLowerCase();
  return code && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(code) ? code : null;
}

/**
 * Binds a private chat to a contact inside an open transaction and records telegram consent with its proof (source
 * `telegram:/start`, the wording = what the user sent, the time): `contact` when given (a signed deep link), else the
 * contact the chat is bound to, else a new contact created from the Telegram user (name, language) with the source
 * as attribute `source`. One chat, one contact: the chat is taken from any other contact. A source is stored only
 * where the contact has none yet (the first source stays). A suppression of the chat (it blocked the bot, or was
 * erased) is lifted: pressing Start is a new consent. A signed deep link is always recorded as a new decision.
 */
export async function subscribeChat(trx: Trx, a: {
  chatId: string; key: string; from: User | undefined; wording: string; source: string | null; secretKey: string; now: number;
  /** The contact a signed deep link names: bound and consented anew even when it was subscribed already. */
  contact?: ContactRow | undefined;
}): Promise<ChatSubscription> {
  const { chatId, now } = a;
  let contact = a.contact ?? await trx.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', chatId).where('erased_at', 'is', null).executeTakeFirst();
  let created = false;
  if (!contact) {
    contact = await trx.insertInto('contacts').values({
      id: newId('ct'), external_id: null, email: null, phone: null, telegram_chat_id: chatId, name: userName(a.from), timezone: null,
      locale: userLocale(a.from), attributes: JSON.stringify(a.source ? { source: a.source } : {}), created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    created = true;
  }
  const consent = await trx.selectFrom('consents').select('granted').where('contact_id', '=', contact.id).where('channel', '=', 'telegram').executeTakeFirst();
  const suppressed = await trx.selectFrom('suppressions').select('reason').where('channel', '=', 'telegram').where('address', '=', chatId).executeTakeFirst();
  const unchanged = !a.contact && !created && contact.telegram_chat_id === chatId && consent?.granted === 1 && !suppressed;

  const attributes = parseJsonObject(contact.attributes);
  const withSource = a.source && attributes.source === undefined ? JSON.stringify({ ...attributes, source: a.source }) : contact.attributes;
  await trx.updateTable('contacts').set({ telegram_chat_id: null, updated_at: now })
    .where('telegram_chat_id', '=', chatId).where('id', '!=', contact.id).execute();
  contact = await trx.updateTable('contacts').set({ telegram_chat_id: chatId, attributes: withSource, updated_at: now })
    .where('id', '=', contact.id).returningAll().executeTakeFirstOrThrow();
  if (!unchanged) {
    await trx.insertInto('consents').values({ contact_id: contact.id, channel: 'telegram', granted: 1, source: START_SOURCE, updated_at: now })
      .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted: 1, source: START_SOURCE, updated_at: now })).execute();
    await trx.insertInto('consent_log').values({
      id: proofId(a.key, chatId, contact.id), contact_id: contact.id, channel: 'telegram', granted: 1, source: START_SOURCE,
      ip: null, user_agent: null, wording: a.wording, at: now,
    }).onConflict((oc) => oc.column('id').doNothing()).execute();
    await unsuppressTelegram(trx, chatId);
    await liftErasedSuppression(trx, a.secretKey, 'telegram', chatId);
  }
  return { contact, created, unchanged };
}
