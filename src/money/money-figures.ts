import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database';
import { groupKeySql, NO_KEY, type GroupBy } from './group-key';

/** What a message costs in minor units (kopecks, fractions allowed): email and Telegram from the settings; SMS as the provider billed it. */
export interface MessageCosts {
  email: number;
  telegram: number;
}

/** No message costs: the default. */
export const FREE_MESSAGES: MessageCosts = { email: 0, telegram: 0 };

/** Which rows the figures cover: one funnel, a period [from, to) in ms, one currency, optionally one source. */
export interface MoneyScope {
  funnelId: string;
  from: number;
  to: number;
  currency: string;
  source?: string | undefined;
}

/** The figures of one group (or of the whole funnel) before ratios; money in minor units. */
export interface Figures {
  enrolled: number;
  converted: number;
  orders: number;
  repeatOrders: number;
  /** Contacts with more than one order in the period. */
  repeatBuyers: number;
  buyers: number;
  revenueMinor: number;
  firstRevenueMinor: number;
  messageCostMinor: number;
  spendMinor: number;
}

/** All-zero figures. */
export function noFigures(): Figures {
  return { enrolled: 0, converted: 0, orders: 0, repeatOrders: 0, repeatBuyers: 0, buyers: 0, revenueMinor: 0, firstRevenueMinor: 0, messageCostMinor: 0, spendMinor: 0 };
}

type Num = number | string | bigint | null;
const n = (v: Num | undefined) => Number(v ?? 0);
const keyOf = (v: unknown) => (v === null || v === undefined || v === '' ? NO_KEY : String(v));

/** Message cost of reached deliveries (sent or delivered; the dev outbox costs nothing) in minor units, as SQL over alias `d`. */
export function messageCostSql(costs: MessageCosts) {
  return sql<number>`sum(CASE WHEN d.channel = 'sms' THEN round(coalesce(d.cost, 0) * 100)
    WHEN d.channel = 'email' THEN ${costs.email} WHEN d.channel = 'telegram' THEN ${costs.telegram} ELSE 0 END)`;
}

/**
 * The figures per group key (`''` for the whole funnel without `groupBy`): enrollments in the period, first
 * conversions in it, orders (first and repeat) and their revenue in the scope's currency, the message cost of
 * deliveries scheduled in it (unless `withCost` is false: the caller has it). Spend is added by the caller. Groups are the contact's (first source, campaign, attribute).
 */
export async function figuresByKey(db: Db, scope: MoneyScope, costs: MessageCosts, groupBy?: GroupBy, withCost = true): Promise<Map<string, Figures>> {
  const key = groupKeySql(groupBy, dialectOf(db));
  const only = scope.source === undefined ? sql`` : sql`AND k.source = ${scope.source}`;
  // The whole funnel, unfiltered, needs no contact: the join is left out so the reads stay on the funnel's indexes.
  const needsContact = groupBy !== undefined || scope.source !== undefined;
  const joinOn = (column: string) => (needsContact ? sql`JOIN contacts k ON k.id = ${sql.ref(column)}` : sql``);
  const out = new Map<string, Figures>();
  const at = (k: unknown) => {
    const id = groupBy ? keyOf(k) : '';
    let f = out.get(id);
    if (!f) out.set(id, (f = noFigures()));
    return f;
  };
  const enrolled = await sql<{ g: string | null; n: Num }>`SELECT ${key} AS g, count(*) AS n FROM enrollments e ${joinOn('e.contact_id')}
    WHERE e.funnel_id = ${scope.funnelId} AND e.enrolled_at >= ${scope.from} AND e.enrolled_at < ${scope.to} ${only} GROUP BY 1`.execute(db);
  for (const r of enrolled.rows) at(r.g).enrolled += n(r.n);
  const converted = await sql<{ g: string | null; n: Num }>`SELECT ${key} AS g, count(*) AS n FROM conversions c ${joinOn('c.contact_id')}
    WHERE c.funnel_id = ${scope.funnelId} AND c.occurred_at >= ${scope.from} AND c.occurred_at < ${scope.to} ${only} GROUP BY 1`.execute(db);
  for (const r of converted.rows) at(r.g).converted += n(r.n);
  // Per contact first, so repeat buyers can be counted; then per group.
  const orders = await sql<{ g: string | null; orders: Num; firsts: Num; revenue: Num; first_revenue: Num }>`
    SELECT ${key} AS g, count(*) AS orders, sum(o.is_first) AS firsts, sum(o.amount_minor) AS revenue,
      sum(CASE WHEN o.is_first = 1 THEN o.amount_minor ELSE 0 END) AS first_revenue
    FROM orders o ${joinOn('o.contact_id')}
    WHERE o.funnel_id = ${scope.funnelId} AND o.currency = ${scope.currency} AND o.occurred_at >= ${scope.from} AND o.occurred_at < ${scope.to} ${only}
    GROUP BY 1, o.contact_id`.execute(db);
  for (const r of orders.rows) {
    const f = at(r.g);
    f.orders += n(r.orders);
    f.repeatOrders += n(r.orders) - n(r.firsts);
    f.buyers += 1;
    if (n(r.orders) > 1) f.repeatBuyers += 1;
    f.revenueMinor += n(r.revenue);
    f.firstRevenueMinor += n(r.first_revenue);
  }
  if (!withCost) return out;
  const cost = await sql<{ g: string | null; cost: Num }>`SELECT ${key} AS g, ${messageCostSql(costs)} AS cost
    FROM deliveries d ${joinOn('d.contact_id')}
    WHERE d.funnel_id = ${scope.funnelId} AND d.status IN ('sent', 'delivered') AND d.scheduled_at >= ${scope.from} AND d.scheduled_at < ${scope.to} ${only}
    GROUP BY 1`.execute(db);
  for (const r of cost.rows) at(r.g).messageCostMinor += n(r.cost);
  return out;
}
