import { anonymiseAnswers } from '../db/answers';
import type { Transaction } from 'kysely';
import type { ContactRow, Database } from '../db/schema';
import { writeConsent } from '../consent/record-consent';
import { normalizeAddress } from '../consent/suppressions';
import { ERASED_REASON, erasedAddressKey } from '../consent/erased-addresses';
import { maskPersonalData } from '../privacy/mask-personal';
import { anonymiseDeliveries } from '../db/deliveries';
import { anonymiseTouchLog } from '../db/touch-log';
import { anonymiseLoggedTouches } from '../db/logged-touches';
import { ADDRESS_FIELDS, type AddressChannel } from './addresses';
import { removeContactPushSubscriptions } from '../db/push-subscriptions';

type Trx = Transaction<Database>;

/** Wording of the consent withdrawals an erasure records. */
export const ERASURE_WORDING = 'personal data erased at the request of the person (152-FZ art. 21, GDPR art. 17)';

/** Every address the contact has or was sent to, per channel, except those another contact holds now. */
async function addressesOf(trx: Trx, contact: ContactRow): Promise<Array<{ channel: AddressChannel; address: string }>> {
  const found = new Map<string, { channel: AddressChannel; address: string }>();
  const add = (channel: string, address: string | null) => {
    if (!address || !(channel in ADDRESS_FIELDS)) return;
    const normalized = normalizeAddress(channel, address);
    if (normalized) found.set(`${channel}\n${normalized}`, { channel: channel as AddressChannel, address: normalized });
  };
  for (const [channel, field] of Object.entries(ADDRESS_FIELDS)) add(channel, contact[field]);
  const sent = await trx.selectFrom('deliveries').select(['channel', 'recipient']).distinct()
    .where('contact_id', '=', contact.id).where('recipient', 'is not', null).execute();
  for (const d of sent) add(d.channel, d.recipient);
  const out = [];
  for (const a of found.values()) {
    const field = ADDRESS_FIELDS[a.channel];
    const holder = await trx.selectFrom('contacts').select('id').where(field, '=', a.address).where('id', '!=', contact.id).executeTakeFirst();
    if (!holder) out.push(a);
  }
  return out;
}

/** Rewrites the link targets through `fn`, where it changes anything. */
async function rewriteLinks(trx: Trx, links: Array<{ id: string; url: string }>, fn: (v: string) => string) {
  for (const { id, url } of links) {
    const next = fn(url);
    if (next !== url) await trx.updateTable('links').set({ url: next }).where('id', '=', id).execute();
  }
}

/**
 * Erases a contact's personal data inside an open transaction, keeping every number the stats are made of: the
 * contact row stays (emptied, `erased_at` set) so enrollments, the ledger, conversions and rollups keep their counts.
 * Each address becomes a keyed-hash suppression (a bounce or STOP reason it had is kept), granted consents are
 * withdrawn (source `erasure`), IPs and user agents leave the consent log, message contents and recipients leave the
 * ledger and the outbox, event properties and idempotency keys are emptied,
 * addresses are masked in failure reasons and link targets, active enrollments exit with reason `erased`.
 */
export async function scrubContact(trx: Trx, secretKey: string, contact: ContactRow, now: number): Promise<void> {
  const id = contact.id;
  for (const { channel, address } of await addressesOf(trx, contact)) {
    const plain = await trx.selectFrom('suppressions').select('reason').where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
    await trx.insertInto('suppressions')
      .values({ channel, address: erasedAddressKey(secretKey, channel, address), reason: plain?.reason ?? ERASED_REASON, at: now })
      .onConflict((oc) => oc.columns(['channel', 'address']).doNothing()).execute();
    if (plain) await trx.deleteFrom('suppressions').where('channel', '=', channel).where('address', '=', address).execute();
  }

  const granted = await trx.selectFrom('consents').select('channel').where('contact_id', '=', id).where('granted', '=', 1).execute();
  for (const { channel } of granted) {
    await writeConsent(trx, { contactId: id, channel, granted: false, source: 'erasure', wording: ERASURE_WORDING, at: now });
  }
  await trx.updateTable('consent_log').set({ ip: null, user_agent: null }).where('contact_id', '=', id).execute();

  await trx.updateTable('contacts').set({
    external_id: null, email: null, phone: null, telegram_chat_id: null, vk_user_id: null, name: null, timezone: null, locale: null,
    attributes: '{}', source_first: null, source_latest: null, updated_at: now, erased_at: now,
  }).where('id', '=', id).execute();
  await trx.updateTable('enrollments').set({ status: 'exited', exit_reason: 'erased', finished_at: now })
    .where('contact_id', '=', id).where('status', '=', 'active').execute();

  // Its referral codes name it: they stop working (the referral links themselves are ids only, kept for the stats).
  await trx.deleteFrom('referral_codes').where('contact_id', '=', id).execute();
  await removeContactPushSubscriptions(trx, id);

  // Idempotency keys are client text (`signup-anna@…`); nothing can retry into an erased contact, so they go too.
  await trx.updateTable('events').set({ properties: '{}', idempotency_key: null }).where('contact_id', '=', id).execute();

  await anonymiseAnswers(trx, id);
  const ids = await anonymiseDeliveries(trx, id, maskPersonalData);
  await anonymiseTouchLog(trx, id, maskPersonalData);
  await anonymiseLoggedTouches(trx, id);
  if (ids.length > 0) {
    await trx.updateTable('outbox').set({ recipient: '', subject: null, html: null, text: null }).where('delivery_id', 'in', ids).execute();
    const links = await trx.selectFrom('links').select(['id', 'url']).where('delivery_id', 'in', ids).execute();
    await rewriteLinks(trx, links, (url) => {
      const decoded = safeDecode(url);
      const masked = maskPersonalData(decoded);
      return masked === decoded ? url : masked;
    });
  }
}

function safeDecode(url: string): string {
  try { return decodeURIComponent(url); } catch { return url; }
}
