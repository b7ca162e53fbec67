import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import { touchesOf } from '../dsl/plan';

/** Attribution models the contract names; only those in STORED_MODELS have stored credit yet. */
export const ATTRIBUTION_MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
export const STORED_MODELS: readonly AttributionModel[] = ['last_touch'];

/** One touch's row of the stats. */
export interface TouchStats {
  touchId: string;
  channel: string;
  sent: number;
  delivered: number;
  outbox: number;
  opened: number;
  clicked: number;
  failed: number;
  skipped: number;
  converted: number;
  conversionRate: number;
  revenue: number;
}

/** A funnel's stats over a period under one attribution model. */
export interface FunnelStats {
  funnelId: string;
  model: AttributionModel;
  from: string | null;
  to: string | null;
  enrolled: number;
  active: number;
  converted: number;
  conversionRate: number;
  revenue: number;
  touches: TouchStats[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Per-touch stats: ledger counts for touches scheduled in [from, to), credit and revenue for conversions in
 * [from, to). `sent` counts provider hand-offs; dev-outbox touches are counted apart and credited like sent ones.
 */
export async function funnelStats(db: Db, plan: Plan, opts: { from?: number | undefined; to?: number | undefined; model: AttributionModel }): Promise<FunnelStats> {
  const from = opts.from ?? 0;
  const to = opts.to ?? Number.MAX_SAFE_INTEGER;
  const funnelId = plan.id;

  const enr = await db.selectFrom('enrollments')
    .select([
      sql<number>`count(*)`.as('enrolled'),
      sql<number>`coalesce(sum(case when status = 'active' then 1 else 0 end), 0)`.as('active'),
    ])
    .where('funnel_id', '=', funnelId).where('enrolled_at', '>=', from).where('enrolled_at', '<', to)
    .executeTakeFirstOrThrow();
  const conv = await db.selectFrom('conversions')
    .select([sql<number>`count(*)`.as('converted'), sql<number>`coalesce(sum(value), 0)`.as('revenue')])
    .where('funnel_id', '=', funnelId).where('occurred_at', '>=', from).where('occurred_at', '<', to)
    .executeTakeFirstOrThrow();

  const ledger = await db.selectFrom('deliveries')
    .select([
      'touch_id', 'channel',
      sql<number>`sum(case when status in ('sent', 'delivered') then 1 else 0 end)`.as('sent'),
      sql<number>`sum(case when status = 'delivered' then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when status = 'outbox' then 1 else 0 end)`.as('outbox'),
      sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
      sql<number>`sum(case when status = 'skipped' then 1 else 0 end)`.as('skipped'),
      sql<number>`count(opened_at)`.as('opened'),
      sql<number>`count(clicked_at)`.as('clicked'),
    ])
    .where('funnel_id', '=', funnelId).where('scheduled_at', '>=', from).where('scheduled_at', '<', to)
    .groupBy(['touch_id', 'channel']).execute();
  const credit = await db.selectFrom('attributions')
    .select(['touch_id', sql<number>`sum(credit)`.as('credit'), sql<number>`sum(revenue)`.as('revenue')])
    .where('funnel_id', '=', funnelId).where('model', '=', opts.model)
    .where('occurred_at', '>=', from).where('occurred_at', '<', to)
    .groupBy('touch_id').execute();

  const byTouch = new Map(ledger.map((r) => [r.touch_id, r]));
  const creditByTouch = new Map(credit.map((r) => [r.touch_id, r]));
  const ids = [...touchesOf(plan.steps).map((t) => t.id)];
  for (const id of [...byTouch.keys(), ...creditByTouch.keys()]) if (!ids.includes(id)) ids.push(id); // touches of older versions
  const touches = ids.map((touchId): TouchStats => {
    const l = byTouch.get(touchId);
    const c = creditByTouch.get(touchId);
    const reached = Number(l?.sent ?? 0) + Number(l?.outbox ?? 0);
    const converted = round(Number(c?.credit ?? 0));
    return {
      touchId, channel: l?.channel ?? 'email',
      sent: Number(l?.sent ?? 0), delivered: Number(l?.delivered ?? 0), outbox: Number(l?.outbox ?? 0),
      opened: Number(l?.opened ?? 0), clicked: Number(l?.clicked ?? 0), failed: Number(l?.failed ?? 0), skipped: Number(l?.skipped ?? 0),
      converted, conversionRate: reached > 0 ? round(converted / reached) : 0, revenue: round(Number(c?.revenue ?? 0), 2),
    };
  });
  const enrolled = Number(enr.enrolled);
  return {
    funnelId, model: opts.model,
    from: opts.from === undefined ? null : new Date(from).toISOString(), to: opts.to === undefined ? null : new Date(to).toISOString(),
    enrolled, active: Number(enr.active), converted: Number(conv.converted),
    conversionRate: enrolled > 0 ? round(Number(conv.converted) / enrolled) : 0, revenue: round(Number(conv.revenue), 2), touches,
  };
}
