import type { Db } from '../../db/database';
import type { DeliveryRow } from '../../db/schema';
import type { ReceiptUpdate } from './provider';
import { findContact } from '../../db/contacts';
import { applyReceipt } from '../../db/deliveries';
import { logTouch } from '../../db/touch-log';
import { writeConsent } from '../../consent/record-consent';
import { suppress } from '../../consent/suppressions';

/** What a delivery report did to the ledger. */
export type ReceiptOutcome =
  | { applied: true; delivery: DeliveryRow; status: 'delivered' | 'failed'; at: number; reason?: string }
  | { applied: false; why: 'pending' | 'unknown_message' | 'already_final' };

/**
 * Applies one delivery report to the SMS delivery with that provider message id. Only a `sent` delivery moves:
 * delivered → `delivered` + delivered_at; failed → `failed` + failed_at, reason `provider: <text>` and a touch-log
 * row. A repeated, late or unknown report changes nothing, so providers may retry freely.
 */
export async function applySmsReceipt(db: Db, receipt: ReceiptUpdate, now: number): Promise<ReceiptOutcome> {
  if (receipt.state === 'pending') return { applied: false, why: 'pending' };
  const state = receipt.state;
  return db.transaction().execute(async (trx): Promise<ReceiptOutcome> => {
    const row = await trx.selectFrom('deliveries').selectAll()
      .where('channel', '=', 'sms').where('provider_message_id', '=', receipt.providerMessageId).executeTakeFirst();
    if (!row) return { applied: false, why: 'unknown_message' };
    const at = receipt.at ?? now;
    const reason = `provider: ${receipt.reason}`;
    if (!(await applyReceipt(trx, row.id, { state, at, reason }))) return { applied: false, why: 'already_final' };
    if (state === 'failed') await logTouch(trx, row, { kind: 'failed', reason, channel: 'sms', at });
    return { applied: true, delivery: row, status: state, at, ...(state === 'failed' && { reason }) };
  });
}

/**
 * A STOP reply from `phone` (E.164): the number is suppressed on SMS, and the contact with that number (if any) has
 * its SMS consent withdrawn (source `sms:stop`) with a consent-log row quoting the reply. A repeated STOP adds no
 * second log row. Atomic. Answers the contact's id when one matched.
 */
export async function withdrawSmsConsent(db: Db, phone: string, wording: string, now: number): Promise<{ contactId: string | null }> {
  return db.transaction().execute(async (trx) => {
    await suppress(trx, { channel: 'sms', address: phone, reason: 'stop', at: now });
    const contact = await findContact(trx, { phone });
    if (!contact) return { contactId: null };
    const before = await trx.selectFrom('consents').select(['granted', 'source'])
      .where('contact_id', '=', contact.id).where('channel', '=', 'sms').executeTakeFirst();
    if (before?.granted === 0 && before.source === 'sms:stop') return { contactId: contact.id };
    await writeConsent(trx, { contactId: contact.id, channel: 'sms', granted: false, source: 'sms:stop', wording: wording.slice(0, 1000), at: now });
    return { contactId: contact.id };
  });
}
