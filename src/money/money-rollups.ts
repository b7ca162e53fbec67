import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database';
import { periodPieces } from '../analytics/periods';
import { rollupTable } from '../analytics/rollup-ddl';
import { attributeBackfillSql } from '../analytics/money-rollup-ddl';
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

type CellRow = { gkey: string } & Record<(typeof COUNTERS)[number], Num>;

/** The raw message cost per touch of deliveries scheduled in [from, to): the ragged ends of the 'touch' dimension. */
async function rawTouchCosts(db: Db, funnelId: string, costs: MessageCosts, from: number, to: number): Promise<Map<string, number>> {
  const rows = await sql<{ touch_id: string; cost: Num }>`SELECT d.touch_id, ${messageCostSql(costs)} AS cost FROM deliveries d
    WHERE d.funnel_id = ${funnelId} AND d.status IN ('sent', 'delivered') AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to}
    GROUP BY d.touch_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.touch_id, n(r.cost)]));
}

const COUNTERS = ['enrolled', 'converted', 'orders', 'first_orders', 'revenue_minor', 'first_revenue_minor', 'reached', 'sms_cost_minor', 'email_reached', 'telegram_reached'] as const;
type Cell = Record<(typeof COUNTERS)[number], number>;
const SUMS = sql.raw(COUNTERS.map((c) => `sum(${c}) AS ${c}`).join(', '));
const cellOf = (r: CellRow): Cell => Object.fromEntries(COUNTERS.map((c) => [c, n(r[c])])) as Cell;

/** The rollup cells of one run of whole hours or days, per raw-path key (none → `(none)`). */
async function rollupCells(db: Db, scope: MoneyScope, grain: 'day' | 'hour', [a, b]: readonly [number, number], by: MoneyBy): Promise<Map<string, Cell>> {
  const t = sql.ref(grain);
  const read = (dims: string[], gkey: string, extra = sql``) => sql<CellRow>`SELECT ${sql.raw(gkey)} AS gkey, ${SUMS}
    FROM ${sql.table(rollupTable('money', grain))}
    WHERE funnel_id = ${scope.funnelId} AND dim IN (${sql.join(dims)}) AND ${t} >= ${a} AND ${t} < ${b} AND currency IN ('', ${scope.currency}) ${extra}
    GROUP BY 1`.execute(db);
  const out = new Map<string, Cell>();
  const add = (key: string, c: Cell, sign = 1) => {
    const cell = out.get(key) ?? (Object.fromEntries(COUNTERS.map((x) => [x, 0])) as Cell);
    for (const x of COUNTERS) cell[x] += sign * c[x];
    out.set(key, cell);
  };
  const isNone = (gkey: string) => gkey === '' || gkey === NO_KEY;
  if (typeof by === 'object') {
    // Contacts without the attribute have no attribute row: theirs is every contact's money less the others'.
    for (const r of (await read(['contact'], `''`)).rows) add(NO_KEY, cellOf(r));
    for (const r of (await read(['attribute'], 'gkey2', sql`AND gkey = ${by.attribute}`)).rows) {
      if (isNone(r.gkey)) continue;
      add(r.gkey, cellOf(r));
      add(NO_KEY, cellOf(r), -1);
    }
    return out;
  }
  // The whole funnel: its enrollments, conversions and orders ('') and its touches' messages; a group: per contact.
  const rows = by === '' ? await read(['', 'touch'], `''`) : by === 'touch' ? await read(['touch'], 'gkey')
    : await read(['contact'], by === 'campaign' ? 'gkey2' : 'gkey');
  for (const r of rows.rows) add((by === 'source' || by === 'campaign') && isNone(r.gkey) ? NO_KEY : r.gkey, cellOf(r));
  return out;
}

/** What the money figures are keyed by: a rollup dimension, or an attribute rolled up in `money_attributes`. */
export type MoneyBy = MoneyDim | { attribute: string };

/**
 * The figures per key over the scope's period and currency (without buyers and spend; the scope's `source` filter is
 * not applied — callers with one use the raw path): `''` is the one key of the whole funnel, touches are keyed by
 * touch id, sources, campaigns and attribute values as the raw path keys them (none → `(none)`). A key is present
 * when the raw path would list it: an enrollment, conversion, order or billed message of the group in the period.
 */
export async function rollupFigures(db: Db, scope: MoneyScope, costs: MessageCosts, by: MoneyBy): Promise<Map<string, Figures>> {
  const out = new Map<string, Figures>();
  const present = new Set<string>();
  const at = (key: string) => {
    let f = out.get(key);
    if (!f) out.set(key, (f = noFigures()));
    return f;
  };
  for (const piece of periodPieces(scope.from, scope.to)) {
    const [a, b] = piece.span;
    if (piece.grain === 'raw') {
      if (by === 'touch') {
        for (const [key, cost] of await rawTouchCosts(db, scope.funnelId, costs, a, b)) { at(key).messageCostMinor += cost; present.add(key); }
        continue;
      }
      const groupBy = by === '' ? undefined : typeof by === 'object' ? { kind: 'attribute' as const, name: by.attribute } : { kind: by };
      for (const [key, f] of await figuresByKey(db, { ...scope, from: a, to: b, source: undefined }, costs, groupBy)) {
        const t = at(key);
        t.enrolled += f.enrolled; t.converted += f.converted; t.orders += f.orders; t.repeatOrders += f.repeatOrders;
        t.revenueMinor += f.revenueMinor; t.firstRevenueMinor += f.firstRevenueMinor; t.messageCostMinor += f.messageCostMinor;
        present.add(key);
      }
      continue;
    }
    for (const [key, c] of await rollupCells(db, scope, piece.grain, piece.span, by)) {
      const f = at(key);
      f.enrolled += c.enrolled; f.converted += c.converted; f.orders += c.orders; f.repeatOrders += c.orders - c.first_orders;
      f.revenueMinor += c.revenue_minor; f.firstRevenueMinor += c.first_revenue_minor;
      f.messageCostMinor += c.sms_cost_minor + c.email_reached * costs.email + c.telegram_reached * costs.telegram;
      if (c.enrolled || c.converted || c.orders || c.reached) present.add(key);
    }
  }
  for (const key of out.keys()) if (!present.has(key)) out.delete(key);
  return out;
}

/** Whether the money is rolled up by attribute `name` (listed in `money_attributes`). */
export async function attributeRolledUp(db: Db, name: string): Promise<boolean> {
  const row = await sql<{ name: string }>`SELECT name FROM money_attributes WHERE name = ${name}`.execute(db);
  return row.rows.length > 0;
}

/**
 * Rolls the money up by attribute `name` from now on: lists it in `money_attributes` and adds its figures over the
 * existing rows, in one transaction. On PostgreSQL the table is locked first, so writes whose triggers read the list
 * before the name was there have committed (and are in the backfill) and later ones wait and count it themselves.
 */
export async function rollUpAttribute(db: Db, name: string): Promise<void> {
  const dialect = dialectOf(db);
  await db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`LOCK TABLE money_attributes IN ACCESS EXCLUSIVE MODE`.execute(trx);
    if (await attributeRolledUp(trx, name)) return;
    await sql`INSERT INTO money_attributes (name) VALUES (${name})`.execute(trx);
    for (const stmt of attributeBackfillSql(dialect, name)) await sql.raw(stmt).execute(trx);
  });
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
