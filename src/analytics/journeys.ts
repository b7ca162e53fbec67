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
}

/** The touches, across every funnel, that reached the contacts of a funnel's conversions before each purchase. */
export interface JourneyStats {
  funnelId: string;
  from: string | null;
  to: string | null;
  conversions: number;
  touches: number;
  /** Touches per conversion. */
  meanTouches: number;
  /** Funnels a buyer was touched by before the purchase, per conversion. */
  meanFunnels: number;
  byChannel: ChannelShare[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * For the funnel's conversions in [from, to): every touch that reached the buyer before the purchase in any funnel
 * (sent, delivered or dev outbox, staff touches included), by channel — the whole journey, not only this funnel's part.
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
  const funnels = await joined.select((eb) => ['c.id', eb.fn.count('d.funnel_id').distinct().as('n')]).groupBy('c.id').execute();
  const touches = rows.reduce((a, r) => a + Number(r.n), 0);
  return {
    funnelId, from: opts.from === undefined ? null : new Date(opts.from).toISOString(), to: opts.to === undefined ? null : new Date(opts.to).toISOString(),
    conversions, touches,
    meanTouches: conversions > 0 ? round(touches / conversions) : 0,
    meanFunnels: conversions > 0 ? round(funnels.reduce((a, r) => a + Number(r.n), 0) / conversions) : 0,
    byChannel: rows.map((r) => ({ channel: r.channel, staff: r.channel === STAFF_CHANNEL, touches: Number(r.n), share: touches > 0 ? round(Number(r.n) / touches) : 0 }))
      .sort((a, b) => b.touches - a.touches || a.channel.localeCompare(b.channel)),
  };
}
