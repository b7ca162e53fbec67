import { sql } from 'kysely';
import type { Db } from '../db/database';
import { periodPieces } from '../analytics/periods';
import { rollupTable } from '../analytics/rollup-ddl';
import { figuresByKey, messageCostSql, noFigures, type Figures, type MessageCosts, type MoneyScope } from './money-figures';
import { NO_KEY } from './group-key';

/*
 * The money figures from the money rollups (migration 0022): a period is whole days and whole hours read from
 * `rollup_money_days` / `_hours`, and its ragged ends (under an hour each) from the raw tables with the same queries
 * as the raw path — so the answer equals the raw one exactly, at a few hundred rollup rows per read.
 */

/** A group dimension of the money rollups: the whole funnel, each touch, the contact's source or campaign. */
export type MoneyDim = '' | 'touch' | 'source' | 'campaign';

type Num = number | string | bigint | null;
const n = (v: Num | undefined) => Number(v ?? 0);

interface CellRow {
  gkey: string; enrolled: Num; converted: Num; orders: Num; first_orders: Num; revenue_minor: Num; first_revenue_minor: Num;
  reached: Num; sms_cost_minor: Num; email_reached: Num; telegram_reached: Num;
}

/** The raw message cost per touch of deliveries scheduled in [from, to): the ragged ends of the 'touch' dimension. */
async function rawTouchCosts(db: Db, funnelId: string, costs: MessageCosts, from: number, to: number): Promise<Map<string, number>> {
  const rows = await sql<{ touch_id: string; cost: Num }>`SELECT d.touch_id, ${messageCostSql(costs)} AS cost FROM deliveries d
    WHERE d.funnel_id = ${funnelId} AND d.status IN ('sent', 'delivered') AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to}
    GROUP BY d.touch_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.touch_id, n(r.cost)]));
}

/**
 * The figures per key of `dim` over the scope's period and currency (without buyers and spend; the scope's `source`
 * filter is not applied — callers with one use the raw path): `''` is the one key of the whole funnel, touches are
 * keyed by touch id, sources and campaigns as the raw path keys them (none → `(none)`). A key is present when the raw
 * path would list it: an enrollment, conversion, order or billed message of the group in the period.
 */
export async function rollupFigures(db: Db, scope: MoneyScope, costs: MessageCosts, dim: MoneyDim): Promise<Map<string, Figures>> {
  const out = new Map<string, Figures>();
  const present = new Set<string>();
  const at = (key: string) => {
    let f = out.get(key);
    if (!f) out.set(key, (f = noFigures()));
    return f;
  };
  const keyOf = (gkey: string) => (dim === 'source' || dim === 'campaign') && gkey === '' ? NO_KEY : gkey;
  for (const piece of periodPieces(scope.from, scope.to)) {
    const [a, b] = piece.span;
    if (piece.grain === 'raw') {
      if (dim === 'touch') {
        for (const [key, cost] of await rawTouchCosts(db, scope.funnelId, costs, a, b)) { at(key).messageCostMinor += cost; present.add(key); }
        continue;
      }
      const groupBy = dim === '' ? undefined : { kind: dim };
      for (const [key, f] of await figuresByKey(db, { ...scope, from: a, to: b, source: undefined }, costs, groupBy)) {
        const t = at(key);
        t.enrolled += f.enrolled; t.converted += f.converted; t.orders += f.orders; t.repeatOrders += f.repeatOrders;
        t.revenueMinor += f.revenueMinor; t.firstRevenueMinor += f.firstRevenueMinor; t.messageCostMinor += f.messageCostMinor;
        present.add(key);
      }
      continue;
    }
    const t = sql.ref(piece.grain);
    // The whole funnel: its enrollments, conversions and orders ('') and its touches' messages; a group: per contact.
    const dims = dim === '' ? ['', 'touch'] : [dim === 'touch' ? 'touch' : 'contact'];
    const gkey = sql.raw(dim === '' ? `''` : dim === 'campaign' ? 'gkey2' : 'gkey');
    const rows = await sql<CellRow>`SELECT ${gkey} AS gkey, sum(enrolled) AS enrolled, sum(converted) AS converted, sum(orders) AS orders,
      sum(first_orders) AS first_orders, sum(revenue_minor) AS revenue_minor, sum(first_revenue_minor) AS first_revenue_minor,
      sum(reached) AS reached, sum(sms_cost_minor) AS sms_cost_minor, sum(email_reached) AS email_reached, sum(telegram_reached) AS telegram_reached
      FROM ${sql.table(rollupTable('money', piece.grain))}
      WHERE funnel_id = ${scope.funnelId} AND dim IN (${sql.join(dims)}) AND ${t} >= ${a} AND ${t} < ${b} AND currency IN ('', ${scope.currency})
      GROUP BY 1`.execute(db);
    for (const r of rows.rows) {
      const key = keyOf(r.gkey);
      const f = at(key);
      f.enrolled += n(r.enrolled); f.converted += n(r.converted); f.orders += n(r.orders); f.repeatOrders += n(r.orders) - n(r.first_orders);
      f.revenueMinor += n(r.revenue_minor); f.firstRevenueMinor += n(r.first_revenue_minor);
      f.messageCostMinor += n(r.sms_cost_minor) + n(r.email_reached) * costs.email + n(r.telegram_reached) * costs.telegram;
      if (n(r.enrolled) || n(r.converted) || n(r.orders) || n(r.reached)) present.add(key);
    }
  }
  for (const key of out.keys()) if (!present.has(key)) out.delete(key);
  return out;
}

/** Buyers (contacts with an order of the funnel in the period and currency) and repeat buyers (more than one): not additive, so read from orders. */
export async function buyersOf(db: Db, scope: MoneyScope): Promise<{ buyers: number; repeatBuyers: number }> {
  const row = await sql<{ buyers: Num; repeat_buyers: Num }>`SELECT count(*) AS buyers, sum(CASE WHEN b.n > 1 THEN 1 ELSE 0 END) AS repeat_buyers
    FROM (SELECT o.contact_id, count(*) AS n FROM orders o
      WHERE o.funnel_id = ${scope.funnelId} AND o.currency = ${scope.currency} AND o.occurred_at >= ${scope.from} AND o.occurred_at < ${scope.to}
      GROUP BY o.contact_id) b`.execute(db);
  return { buyers: n(row.rows[0]?.buyers), repeatBuyers: n(row.rows[0]?.repeat_buyers) };
}

/** One source/campaign pair's leads in a period: of this funnel (`mine` 1) or of the others (0). */
export interface LeadRow {
  mine: number;
  source: string;
  campaign: string | null;
  n: number;
}

/** The leads (enrollments of contacts with a source) of every funnel in [from, to) per source and campaign, this funnel's apart. */
export async function leadsInPeriod(db: Db, funnelId: string, from: number, to: number): Promise<LeadRow[]> {
  const out = new Map<string, LeadRow>();
  const add = (mine: number, source: string, campaign: string | null, count: number) => {
    const id = JSON.stringify([mine, source, campaign]);
    const row = out.get(id);
    if (row) row.n += count;
    else out.set(id, { mine, source, campaign, n: count });
  };
  for (const piece of periodPieces(from, to)) {
    const [a, b] = piece.span;
    if (piece.grain === 'raw') {
      const rows = await sql<{ mine: Num; source: string; campaign: string | null; n: Num }>`
        SELECT CASE WHEN e.funnel_id = ${funnelId} THEN 1 ELSE 0 END AS mine, k.source, k.campaign, count(*) AS n
        FROM enrollments e JOIN contacts k ON k.id = e.contact_id
        WHERE e.enrolled_at >= ${a} AND e.enrolled_at < ${b} AND k.source IS NOT NULL
        GROUP BY 1, k.source, k.campaign`.execute(db);
      for (const r of rows.rows) add(n(r.mine), r.source, r.campaign, n(r.n));
      continue;
    }
    const t = sql.ref(piece.grain);
    const rows = await sql<{ mine: Num; source: string; campaign: string; n: Num }>`
      SELECT CASE WHEN funnel_id = ${funnelId} THEN 1 ELSE 0 END AS mine, source, campaign, sum(n) AS n
      FROM ${sql.table(rollupTable('lead', piece.grain))} WHERE ${t} >= ${a} AND ${t} < ${b}
      GROUP BY 1, source, campaign`.execute(db);
    for (const r of rows.rows) if (n(r.n) !== 0) add(n(r.mine), r.source, r.campaign === '' ? null : r.campaign.slice(1), n(r.n));
  }
  return [...out.values()];
}
