import type { Db } from '../db/database';

/** How far up a chain of referrers is followed; a longer chain is treated as a loop. */
const MAX_DEPTH = 1000;

/** The referrers above a contact, nearest first; stops at a repeat, so even a corrupt loop cannot hang it. */
export async function referrersAbove(db: Db, contactId: string): Promise<string[]> {
  const chain: string[] = [];
  let at = contactId;
  while (chain.length < MAX_DEPTH) {
    const row = await db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', at).executeTakeFirst();
    if (!row || chain.includes(row.referrer_id)) break;
    chain.push(row.referrer_id);
    at = row.referrer_id;
  }
  return chain;
}

/** Why `referrerId` may not become the referrer of `contactId`: the contact itself, or a chain that leads back to it. */
export async function referralRefusal(db: Db, contactId: string, referrerId: string): Promise<'self_referral' | 'referral_loop' | null> {
  if (contactId === referrerId) return 'self_referral';
  const above = await referrersAbove(db, referrerId);
  return above.includes(contactId) || above.length >= MAX_DEPTH ? 'referral_loop' : null;
}

/** After a merge: a contact that became its own referrer, or sits in a loop, loses its incoming referral. */
export async function dropReferralLoops(db: Db, contactId: string): Promise<void> {
  await db.deleteFrom('referrals').where('referred_id', '=', contactId).where('referrer_id', '=', contactId).execute();
  const above = await referrersAbove(db, contactId);
  if (above.includes(contactId)) await db.deleteFrom('referrals').where('referred_id', '=', contactId).execute();
}
