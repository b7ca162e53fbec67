import type { Db } from '../db/database';
import type { EngineDeps } from '../engine/deps';
import { ingestEvent } from '../engine/ingest-event';
import { ConflictError, ValidationError } from '../errors';
import { contactByReferralCode, referralCodeOf } from './referral-codes';
import { referralRefusal } from './referral-chain';
import { findContact } from '../db/contacts';
import type { ContactInput } from '../contacts/input';

/** The event the referrer gets when someone signs up through their link: `{referredContactId, via}`. */
export const REFERRAL_SIGNED_UP = 'referral.signed_up';

/** Why an arrival through a referral link links nobody. */
export type ReferralRefusal = 'unknown_referral_code' | 'self_referral' | 'referral_loop' | 'already_referred';

/** What each refusal means, in the words the API and the log use. */
export const REFERRAL_REFUSALS: Record<ReferralRefusal, string> = {
  unknown_referral_code: 'the referral code names no contact',
  self_referral: 'a contact cannot refer itself: this is its own referral code',
  referral_loop: 'the referrer was brought by this contact (directly or through others): a referral loop',
  already_referred: 'the contact was already referred by someone else; the first referrer keeps it',
};

/** The outcome of an arrival through a referral link. */
export type ReferralOutcome = { linked: true; referrerId: string; created: boolean } | { linked: false; reason: ReferralRefusal; message: string };

const refused = (reason: ReferralRefusal): ReferralOutcome => ({ linked: false, reason, message: REFERRAL_REFUSALS[reason] });

/**
 * Whom `ref` (a referral code, or a referrer's contact id from the API) names as the referrer of `contactId` (null: a
 * contact that does not exist yet), or why it cannot be: unknown code, self-referral, a loop, an earlier referrer.
 */
export async function checkReferral(db: Db, contactId: string | null, ref: string): Promise<{ referrerId: string; code: string } | { refusal: ReferralRefusal }> {
  const referrer = ref.startsWith('ct_') ? await findContact(db, { contactId: ref }) : await contactByReferralCode(db, ref);
  if (!referrer) return { refusal: 'unknown_referral_code' };
  const code = ref.startsWith('ct_') ? `contact:${referrer.id}` : ref;
  if (contactId === null) return { referrerId: referrer.id, code };
  const why = await referralRefusal(db, contactId, referrer.id);
  if (why) return { refusal: why };
  const earlier = await db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', contactId).executeTakeFirst();
  if (earlier && earlier.referrer_id !== referrer.id) return { refusal: 'already_referred' };
  return { referrerId: referrer.id, code };
}

/** A refusal as the API error: 409 for an earlier referrer, 422 (with the reason as its code) for the rest. */
export function referralError(reason: ReferralRefusal): Error {
  const message = `referredBy: ${REFERRAL_REFUSALS[reason]}`;
  return reason === 'already_referred' ? new ConflictError(message, { reason }) : new ValidationError(message, [{ path: 'referredBy', message: REFERRAL_REFUSALS[reason] }], reason);
}

/**
 * Links a contact to the referrer `ref` names (see checkReferral), once: a contact has one referrer for good, never
 * itself, and no chain of referrers leads back to it. A new link emits `referral.signed_up` to the referrer (an event
 * on the referrer, so its enrollments get it); linking again to the same referrer changes nothing.
 */
export async function linkReferral(deps: EngineDeps, a: { contactId: string; ref: string; via: string }): Promise<ReferralOutcome> {
  const checked = await checkReferral(deps.db, a.contactId, a.ref);
  if ('refusal' in checked) {
    deps.log.info('referral refused', { contact: a.contactId, reason: checked.refusal, via: a.via });
    return refused(checked.refusal);
  }
  const res = await deps.db.insertInto('referrals').values({ referred_id: a.contactId, referrer_id: checked.referrerId, code: checked.code, via: a.via, at: deps.now() })
    .onConflict((oc) => oc.column('referred_id').doNothing()).executeTakeFirst();
  const created = Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (!created) {
    const row = await deps.db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', a.contactId).executeTakeFirstOrThrow();
    if (row.referrer_id !== checked.referrerId) return refused('already_referred');
  }
  // The idempotency key makes a repeated arrival (or a redone one) emit nothing twice.
  await ingestEvent(deps, {
    contactId: checked.referrerId, name: REFERRAL_SIGNED_UP, idempotencyKey: `referral:signed_up:${a.contactId}`,
    properties: { referredContactId: a.contactId, via: a.via },
  });
  return { linked: true, referrerId: checked.referrerId, created };
}

/**
 * Refuses a contact upsert whose `referredBy` cannot link (see checkReferral), before anything is stored: the contact
 * the upsert would match (externalId, then email, then phone) is the one checked.
 */
export async function refuseBadReferral(db: Db, input: ContactInput): Promise<void> {
  if (input.referredBy === undefined) return;
  const existing = (input.externalId && await findContact(db, { externalId: input.externalId }))
    || (input.email && await findContact(db, { email: input.email })) || (input.phone && await findContact(db, { phone: input.phone })) || undefined;
  const checked = await checkReferral(db, existing?.id ?? null, input.referredBy);
  if ('refusal' in checked) throw referralError(checked.refusal);
}

/** What the API adds to a contact: its referral code (made on first use) and who referred it. */
export async function referralFields(db: Db, contactId: string, now: number): Promise<{ referralCode: string; referredBy: string | null }> {
  const referredBy = await db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', contactId).executeTakeFirst();
  return { referralCode: await referralCodeOf(db, contactId, now), referredBy: referredBy?.referrer_id ?? null };
}
