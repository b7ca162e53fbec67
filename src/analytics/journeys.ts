import { sql } from 'kysely';
import type { Db } from '../db/database';
import { STAFF_CHANNEL } from '../db/deliveries';
import { REACHED_STATUSES } from '../../workflows/statuses';
import { FAR_FUTURE } from './periods';

/** How many touches of one channel reached the buyers before their purchase. */
export interface ChannelShare {
  channel: string;
  /** Staff and offline touches (channel `staff`) versus the engine's own messages and pages. */
  staff: boolean;
  touches: number;
  /** touches / all touches before the purchases. */
  share: number;
  /** touches / conversions. */
  perConversion: number;
}

/** One bar of the distribution: how many conversions came after exactly `touches` touches (automated + staff). */
export interface TouchCountBucket {
  touches: number;
  conversions: number;
  /** conversions / all conversions. */
  share: number;
  /** Of those touches, the staff and offline ones, per conversion of the bucket. */
  meanStaff: number;
}

/** The touches, across every funnel, that reached the contacts of a funnel's conversions before each purchase. */
export interface JourneyStats {
  funnelId: string;
  from: string | null;
  to: string | null;
  conversions: number;
  touches: number;
  /** Of `touches`: the engine's own messages and pages, and the staff and offline touches. */
  automatedTouches: number;
  staffTouches: number;
  /** Touches per conversion. */
  meanTouches: number;
  /** The median of touches per conversion (the lower middle for an even count). */
  medianTouches: number;
  /** Funnels a buyer was touched by before the purchase, per conversion. */
  meanFunnels: number;
  byChannel: ChannelShare[];
  /** Conversions by the number of touches before them, fewest touches first; a count no conversion had is left out. */
  distribution: TouchCountBucket[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The distribution of per-conversion touch counts, `zero` conversions having had none. */
function distributionOf(perConversion: Array<{ n: number; staff: number }>, zero: number, conversions: number): TouchCountBucket[] {
  const buckets = new Map<number, { conversions: number; staff: number }>();
  if (zero > 0) buckets.set(0, { conversions: zero, staff: 0 });
  for (const c of perConversion) {
    const b = buckets.get(c.n) ?? { conversions: 0, staff: 0 };
    b.conversions += 1;
    b.staff += c.staff;
    buckets.set(c.n, b);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([touches, b]) => ({
    touches, conversions: b.conversions, share: round(b.conversions / conversions), meanStaff: round(b.staff / b.conversions),
  }));
}

function medianOf(distribution: TouchCountBucket[], conversions: number): number {
  let seen = 0;
  const middle = Math.floor((conversions - 1) / 2);
  for (const b of distribution) {
    seen += b.conversions;
    if (seen > middle) return b.touches;
  }
  return 0;
}

/**
 * For the funnel's conversions in [from, to): every touch that reached the buyer before the purchase in any funnel
 * (sent, delivered or dev outbox, staff touches included), by channel and as a distribution of touches per
 * conversion — the whole journey, not only this funnel's part.
 */
export async function journeyStats(db: Db, funnelId: string, opts: { from?: number | undefined; to?: number | undefined }): Promise<JourneyStats> {
  const from = opts.from ?? 0;
  const to = opts.to ?? FAR_FUTURE;
  const at = sql<number>`coalesce(d.sent_at, d.delivered_at)`;
  const inPeriod = db.selectFrom('conversions as c').where('c.funnel_id', '=', funnelId).where('c.occurred_at', '>=', from).where('c.occurred_at', '<', to);
  const conversions = Number((await inPeriod.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const joined = inPeriod.innerJoin('deliveries as d', 'd.contact_id', 'c.contact_id')
    .where('d.status', 'in', [...REACHED_STATUSES]).where(at, '<=', sql<number>`c.occurred_at`);
  const rows = await joined.select((eb) => ['d.channel', eb.fn.countAll().as('n')]).groupBy('d.channel').execute();
  const isStaff = sql<number>`sum(case when d.channel = ${STAFF_CHANNEL} then 1 else 0 end)`;
  const perConversion = (await joined.select((eb) => ['c.id', eb.fn.countAll().as('n'), eb.fn.count('d.funnel_id').distinct().as('f'), isStaff.as('s')])
    .groupBy('c.id').execute()).map((r) => ({ n: Number(r.n), funnels: Number(r.f), staff: Number(r.s) }));
  const touches = rows.reduce((a, r) => a + Number(r.n), 0);
  const staffTouches = rows.filter((r) => r.channel === STAFF_CHANNEL).reduce((a, r) => a + Number(r.n), 0);
  const distribution = conversions > 0 ? distributionOf(perConversion, conversions - perConversion.length, conversions) : [];
  return {
    funnelId, from: opts.from === undefined ? null : new Date(opts.from).toISOString(), to: opts.to === undefined ? null : new Date(opts.to).toISOString(),
    conversions, touches, automatedTouches: touches - staffTouches, staffTouches,
    meanTouches: conversions > 0 ? round(touches / conversions) : 0,
    medianTouches: medianOf(distribution, conversions),
    meanFunnels: conversions > 0 ? round(perConversion.reduce((a, r) => a + r.funnels, 0) / conversions) : 0,
    byChannel: rows.map((r) => ({
      channel: r.channel, staff: r.channel === STAFF_CHANNEL, touches: Number(r.n), share: touches > 0 ? round(Number(r.n) / touches) : 0,
      perConversion: conversions > 0 ? round(Number(r.n) / conversions) : 0,
    })).sort((a, b) => b.touches - a.touches || a.channel.localeCompare(b.channel)),
    distribution,
  };
}
