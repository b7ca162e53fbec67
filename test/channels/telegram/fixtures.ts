import type { Update } from 'grammy/types';
import type { Db } from '../../../src/db/database';
import { newId } from '../../../src/db/ids';
import type { TestApp } from '../../http/test-app';
import type { UpdateInput } from '../../helpers/fake-telegram';

/** The SECRET_KEY of the Telegram tests. */
export const KEY = 'telegram-test-secret';
let nextUpdate = 1;
/** An update with a fresh update_id unless it has one. */
export const asUpdate = (u: UpdateInput): Update => ({ ...u, update_id: u.update_id ?? nextUpdate++ }) as Update;
/** Row counts of every table Telegram handling could write. */
export async function tgCounts(db: Db) {
  const n = async (t: 'contacts' | 'consents' | 'consent_log' | 'events' | 'suppressions') =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { contacts: await n('contacts'), consents: await n('consents'), consentLog: await n('consent_log'), events: await n('events'), suppressions: await n('suppressions') };
}

/** An active enrollment in `welcome` and a telegram delivery of `touchId` sent to `chatId` as message `messageId`. */
export async function sentDelivery(t: TestApp, contactId: string, touchId: string, chatId: number, messageId: number, at: number) {
  let enrollment = await t.db.selectFrom('enrollments').selectAll().where('contact_id', '=', contactId).executeTakeFirst();
  if (!enrollment) {
    enrollment = await t.db.insertInto('enrollments').values({
      id: newId('en'), funnel_id: 'welcome', contact_id: contactId, version: 'v1', workflow_id: `funnel:welcome:${contactId}`, status: 'active',
      current_step: touchId, exit_reason: null, trigger_event_id: null, enrolled_at: at, finished_at: null, converted_at: null,
    }).returningAll().executeTakeFirstOrThrow();
  }
  const id = newId('dl');
  await t.db.insertInto('deliveries').values({
    id, enrollment_id: enrollment.id, funnel_id: 'welcome', contact_id: contactId, touch_id: touchId, channel: 'telegram', status: 'delivered',
    reason: null, recipient: String(chatId), subject: null, provider_message_id: `${chatId}:${messageId}`, attempts: 1, scheduled_at: at,
    created_at: at, sent_at: at, delivered_at: at, opened_at: null, clicked_at: null, replied_at: null, failed_at: null,
  }).execute();
  return id;
}

