import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { AttributionModel } from '../analytics/attribution-models';
import type { TouchStats } from '../analytics/funnel-stats';
import { figuresByKey, messageCostSql, noFigures, type Figures, type MessageCosts, type MoneyScope } from './money-figures';
import { spendByKey } from './spend-share';
import { attributeRolledUp, buyersOf, leadsInPeriod, rollupFigures, type LeadRow } from './money-rollups';
import type { GroupBy } from './group-key';
import { toMajor } from './minor-units';

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number, digits = 4) => (b === 0 ? null : round(a / b, digits));

/** ROMI = (revenue − cost) / cost; null without any cost. */
export function romi(revenueMinor: number, costMinor: number): number | null {
  return costMinor === 0 ? null : round((revenueMinor - costMinor) / costMinor);
}

/** One touch's money: its message cost next to the revenue credited to it (first conversions and repeat orders). */
export interface TouchMoney {
  touchId: string;
  channel: string;
  messageCost: number;
  /** Revenue credited to the touch for first conversions (the touch's `revenue`) plus repeat orders. */
  creditedRevenue: number;
  repeatConverted: number;
  repeatRevenue: number;
}

/** The funnel's money over the period: revenue of every order, cost (spend + messages), leads, CAC, ROMI; major units, `…Minor` exact. */
export interface FunnelMoney {
  currency: string;
  revenue: number;
  revenueMinor: number;
  firstRevenue: number;
  repeatRevenue: number;
  orders: number;
  repeatOrders: number;
  buyers: number;
  repeatBuyers: number;
  /** Buyers with more than one order / buyers. */
  repeatPurchaseRate: number | null;
  revenuePerEnrolled: number | null;
  spend: number;
  messageCost: number;
  cost: number;
  costMinor: number;
  leads: number;
  costPerLead: number | null;
  /** Cost per new customer (first conversions). */
  cac: number | null;
  romi: number | null;
  touches: TouchMoney[];
}

/** One group of `?groupBy=`. */
export interface MoneyGroup {
  key: string;
  enrolled: number;
  converted: number;
  conversionRate: number;
  revenue: number;
  spend: number;
  messageCost: number;
  romi: number | null;
  orders: number;
  costPerLead: number | null;
  cac: number | null;
}

function costOf(f: Figures): number {
  return Math.round(f.spendMinor) + Math.round(f.messageCostMinor);
}

/** The group rows, largest revenue first, then by key. */
function toGroups(figures: Map<string, Figures>): MoneyGroup[] {
  return [...figures.entries()].map(([key, f]): MoneyGroup => {
    const cost = costOf(f);
    return {
      key, enrolled: f.enrolled, converted: f.converted, conversionRate: ratio(f.converted, f.enrolled) ?? 0, revenue: toMajor(f.revenueMinor),
      spend: toMajor(f.spendMinor), messageCost: toMajor(f.messageCostMinor), romi: romi(f.revenueMinor, cost), orders: f.orders,
      costPerLead: ratio(cost, f.enrolled * 100, 2), cac: ratio(cost, f.converted * 100, 2),
    };
  }).sort((a, b) => b.revenue - a.revenue || a.key.localeCompare(b.key));
}

/**
 * The figures per key: from the money rollups for the whole funnel, source, campaign and the attributes rolled up
 * (exact: the raw path's answer); from the raw tables with a `?source=` filter or grouped by an attribute that is not
 * (see rollUpAttribute). Buyers only for the whole funnel.
 */
async function figuresOf(db: Db, scope: MoneyScope, costs: MessageCosts, groupBy: GroupBy | undefined, withCost: boolean): Promise<Map<string, Figures>> {
  if (scope.source !== undefined) return figuresByKey(db, scope, costs, groupBy, withCost);
  if (groupBy?.kind === 'attribute') {
    if (!await attributeRolledUp(db, groupBy.name)) return figuresByKey(db, scope, costs, groupBy, withCost);
    return rollupFigures(db, scope, costs, { attribute: groupBy.name });
  }
  const figures = await rollupFigures(db, scope, costs, groupBy ? groupBy.kind : '');
  if (!groupBy) {
    const f = figures.get('') ?? noFigures();
    figures.set('', Object.assign(f, await buyersOf(db, scope)));
  }
  return figures;
}

async function withSpend(
  db: Db, scope: MoneyScope, costs: MessageCosts, leadsOf: () => Promise<LeadRow[]>, groupBy?: GroupBy, withCost = true,
): Promise<Map<string, Figures>> {
  const figures = await figuresOf(db, scope, costs, groupBy, withCost);
  const spend = await spendByKey(db, scope, groupBy, new Map([...figures].map(([k, f]) => [k, f.enrolled])), leadsOf);
  for (const [key, amount] of spend) {
    let f = figures.get(key);
    if (!f) figures.set(key, (f = noFigures()));
    f.spendMinor += amount;
  }
  return figures;
}

/** Each touch's message cost in minor units: from the rollups, or from the raw ledger under a `?source=` filter. */
async function touchCosts(db: Db, scope: MoneyScope, costs: MessageCosts): Promise<Map<string, number>> {
  if (scope.source === undefined) {
    return new Map([...await rollupFigures(db, scope, costs, 'touch')].map(([touch, f]) => [touch, f.messageCostMinor]));
  }
  const cost = await sql<{ touch_id: string; cost: number }>`SELECT d.touch_id, ${messageCostSql(costs)} AS cost FROM deliveries d
    WHERE d.funnel_id = ${scope.funnelId} AND d.status IN ('sent', 'delivered') AND d.scheduled_at >= ${scope.from} AND d.scheduled_at < ${scope.to}
      AND d.contact_id IN (SELECT id FROM contacts WHERE source = ${scope.source})
    GROUP BY d.touch_id`.execute(db);
  return new Map(cost.rows.map((r) => [r.touch_id, Number(r.cost)]));
}

async function touchMoney(db: Db, scope: MoneyScope, costs: MessageCosts, model: AttributionModel, touches: readonly TouchStats[]): Promise<{ touches: TouchMoney[]; totalMinor: number }> {
  const costs_ = await touchCosts(db, scope, costs);
  const onlyOrders = scope.source === undefined ? sql``
    : sql`AND r.order_id IN (SELECT o.id FROM orders o JOIN contacts k ON k.id = o.contact_id WHERE k.source = ${scope.source})`;
  const repeat = await sql<{ touch_id: string; credit: number; amount: number }>`SELECT r.touch_id, sum(r.credit) AS credit, sum(r.amount_minor) AS amount
    FROM repeat_credits r WHERE r.funnel_id = ${scope.funnelId} AND r.model = ${model} AND r.currency = ${scope.currency}
      AND r.occurred_at >= ${scope.from} AND r.occurred_at < ${scope.to} ${onlyOrders}
    GROUP BY r.touch_id`.execute(db);
  const repeats = new Map(repeat.rows.map((r) => [r.touch_id, { credit: Number(r.credit), amount: Number(r.amount) }]));
  const totalMinor = [...costs_.values()].reduce((a, b) => a + b, 0);
  return { totalMinor, touches: touches.map((t) => {
    const r = repeats.get(t.touchId);
    const repeatRevenue = toMajor(r?.amount ?? 0);
    return {
      touchId: t.touchId, channel: t.channel, messageCost: toMajor(costs_.get(t.touchId) ?? 0),
      creditedRevenue: round(t.revenue + repeatRevenue, 2), repeatConverted: round(r?.credit ?? 0), repeatRevenue,
    };
  }) };
}

/** The funnel's money (see FunnelMoney) and, with `groupBy`, the same per group; `touches` are the stats' own rows. */
export async function funnelMoney(
  db: Db, scope: MoneyScope, costs: MessageCosts, model: AttributionModel, touches: readonly TouchStats[], groupBy?: GroupBy,
): Promise<{ money: FunnelMoney; groups?: MoneyGroup[] }> {
  // The whole funnel's message cost is the sum of its touches'.
  const touchRows = await touchMoney(db, scope, costs, model, touches);
  let leads: Promise<LeadRow[]> | undefined; // read once, for the funnel and its groups
  const leadsOf = () => (leads ??= leadsInPeriod(db, scope.funnelId, scope.from, scope.to));
  const f = (await withSpend(db, scope, costs, leadsOf, undefined, false)).get('') ?? noFigures();
  f.messageCostMinor = touchRows.totalMinor;
  const cost = costOf(f);
  const money: FunnelMoney = {
    currency: scope.currency, revenue: toMajor(f.revenueMinor), revenueMinor: f.revenueMinor, firstRevenue: toMajor(f.firstRevenueMinor),
    repeatRevenue: toMajor(f.revenueMinor - f.firstRevenueMinor), orders: f.orders, repeatOrders: f.repeatOrders, buyers: f.buyers,
    repeatBuyers: f.repeatBuyers, repeatPurchaseRate: ratio(f.repeatBuyers, f.buyers), revenuePerEnrolled: ratio(f.revenueMinor, f.enrolled * 100, 2),
    spend: toMajor(f.spendMinor), messageCost: toMajor(f.messageCostMinor), cost: toMajor(cost), costMinor: cost, leads: f.enrolled,
    costPerLead: ratio(cost, f.enrolled * 100, 2), cac: ratio(cost, f.converted * 100, 2), romi: romi(f.revenueMinor, cost),
    touches: touchRows.touches,
  };
  if (!groupBy) return { money };
  return { money, groups: toGroups(await withSpend(db, scope, costs, leadsOf, groupBy)) };
}
