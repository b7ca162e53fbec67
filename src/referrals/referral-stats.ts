import type { Db } from '../db/database';

/** One referrer of the funnel, by how many contacts it brought. */
export interface TopReferrer {
  contactId: string;
  name: string | null;
  /** Contacts it brought while it was in this funnel. */
  referred: number;
  /** Of those, how many converted in any funnel. */
  converted: number;
}

/** The referral figures of one funnel (all time). */
export interface ReferralStats {
  funnelId: string;
  /** Contacts brought by this funnel's members: referrals whose referrer was enrolled here when the friend arrived. */
  made: number;
  /** Referred contacts (by anyone) who entered this funnel. */
  signedUp: number;
  /** Referred contacts who reached this funnel's goal. */
  converted: number;
  /** Goal revenue of referred contacts in this funnel. */
  revenue: number;
  /** The funnel's members who brought the most contacts, at most 10. */
  topReferrers: TopReferrer[];
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Per funnel: referrals made by its members (the referrer was enrolled before the friend arrived), referred contacts
 * who signed up to it (entered it), converted in it, and their goal revenue; plus the top referrers. Portable SQL.
 */
export async function referralStats(db: Db, funnelId: string): Promise<ReferralStats> {
  const madeBy = db.selectFrom('referrals as r')
    .where((eb) => eb.exists(eb.selectFrom('enrollments as e').select('e.id')
      .whereRef('e.contact_id', '=', 'r.referrer_id').where('e.funnel_id', '=', funnelId).whereRef('e.enrolled_at', '<=', 'r.at')));
  const made = await madeBy.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const signedUp = await db.selectFrom('referrals as r')
    .where((eb) => eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.contact_id', '=', 'r.referred_id').where('e.funnel_id', '=', funnelId)))
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const converted = await db.selectFrom('conversions as c').innerJoin('referrals as r', 'r.referred_id', 'c.contact_id')
    .where('c.funnel_id', '=', funnelId)
    .select((eb) => [eb.fn.count('c.contact_id').distinct().as('n'), eb.fn.sum('c.value').as('revenue')]).executeTakeFirstOrThrow();
  const top = await madeBy.innerJoin('contacts as k', 'k.id', 'r.referrer_id')
    .leftJoin('conversions as c', 'c.contact_id', 'r.referred_id')
    .groupBy(['r.referrer_id', 'k.name'])
    .select((eb) => ['r.referrer_id', 'k.name', eb.fn.count('r.referred_id').distinct().as('referred'), eb.fn.count('c.contact_id').distinct().as('converted')])
    .orderBy('referred', 'desc').orderBy('r.referrer_id').limit(10).execute();
  return {
    funnelId, made: n(made.n), signedUp: n(signedUp.n), converted: n(converted.n), revenue: n(converted.revenue),
    topReferrers: top.map((t) => ({ contactId: t.referrer_id, name: t.name, referred: n(t.referred), converted: n(t.converted) })),
  };
}
