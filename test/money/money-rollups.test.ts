import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index';
import type { Db } from '../../src/db/database';
import type { TouchStats } from '../../src/analytics/funnel-stats';
import { FAR_FUTURE } from '../../src/analytics/periods';
import { seededRandom } from '../../src/analytics/probability';
import { rebuildRollups } from '../../src/analytics/rollup-rebuild';
import { MONEY_TABLE_NAMES } from '../../src/analytics/money-rollup-ddl';
import { funnelMoney } from '../../src/money/funnel-money';
import { rollUpAttribute } from '../../src/money/money-rollups';
import type { GroupBy } from '../../src/money/group-key';
import type { MessageCosts, MoneyScope } from '../../src/money/money-figures';
import { freshDatabase } from '../helpers/test-db';

/*
 * The grouped money figures come from the money rollups (whole days and hours) and the raw tables (the ragged ends of
 * a period): they must equal, exactly, a simple reference computed here from the raw tables joined to the contacts'
 * CURRENT source and campaign — through contacts changing source after they enrolled and bought, repeat orders, SMS
 * cost, per-message email/Telegram cost, spend shared by leads, deliveries changing status and moved orders.
 */

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2025-03-01T00:00:00Z');
const COSTS: MessageCosts = { email: 0.5, telegram: 1.25 };
const TOUCHES = [['t1', 'email'], ['t2', 'sms'], ['t3', 'telegram'], ['t4', 'push']] as const;
const STATUSES = ['sent', 'delivered', 'outbox', 'failed', 'skipped'] as const;
const SOURCES = ['vk', 'ya', '(none)', null] as const;
const CAMPAIGNS = ['spring', 'autumn', null] as const;
/** The attribute rolled up (`tariff`) takes every kind of JSON value; contacts without it are grouped under (none). */
const TARIFFS = [{ tariff: 'pro' }, { tariff: 'basic' }, { tariff: true }, { tariff: false }, { tariff: 3 }, { tariff: 1.5 }, { tariff: null }, { tariff: '' }, {}] as const;

async function seed(db: Db): Promise<void> {
  const rand = seededRandom(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  let ids = 0;
  for (let i = 0; i < 60; i++) {
    const contactId = `ct_${i}`;
    const at0 = T0 + Math.floor(rand() * 4 * D);
    await db.insertInto('contacts').values({
      id: contactId, external_id: null, email: `${contactId}@example.test`, phone: null, telegram_chat_id: null, name: null, timezone: null,
      locale: null, attributes: JSON.stringify({ ...pick(TARIFFS), plan: pick(['a', 'b']) }), created_at: at0, updated_at: at0, source: pick(SOURCES), campaign: pick(CAMPAIGNS),
    }).execute();
    const funnelId = rand() < 0.75 ? 'shop' : 'other';
    const enrollmentId = `en_${i}`;
    await db.insertInto('enrollments').values({
      id: enrollmentId, funnel_id: funnelId, contact_id: contactId, version: 'v1', workflow_id: `funnel:${funnelId}:${contactId}`, status: 'active',
      current_step: null, exit_reason: null, trigger_event_id: null, finished_at: null, converted_at: null, enrolled_at: at0,
    }).execute();
    for (const [k, [touchId, channel]] of TOUCHES.entries()) {
      const at = at0 + k * 5 * H + Math.floor(rand() * H);
      const status = pick(STATUSES);
      await db.insertInto('deliveries').values({
        id: `dl_${++ids}`, enrollment_id: enrollmentId, funnel_id: funnelId, contact_id: contactId, touch_id: touchId, channel, status,
        reason: null, attempts: 1, scheduled_at: at, created_at: at, sent_at: status === 'skipped' ? null : at, delivered_at: null,
        cost: channel === 'sms' ? pick([2.35, 1.115, null]) : null,
      }).execute();
    }
    if (rand() < 0.5) {
      const buys = at0 + Math.floor(rand() * 2 * D);
      await db.insertInto('conversions').values({ id: `cv_${i}`, enrollment_id: enrollmentId, funnel_id: funnelId, contact_id: contactId, event_id: `ev_${i}`, value: 10, occurred_at: buys }).execute();
      const orders = 1 + Math.floor(rand() * 3);
      for (let o = 0; o < orders; o++) {
        await db.insertInto('orders').values({
          id: `or_${i}_${o}`, enrollment_id: enrollmentId, funnel_id: funnelId, contact_id: contactId, event_id: `ev_${i}_${o}`, is_first: o === 0 ? 1 : 0,
          amount_minor: 1000 + Math.floor(rand() * 100_000), currency: rand() < 0.85 ? 'RUB' : 'USD', occurred_at: buys + o * 7 * H,
        }).execute();
      }
    }
  }
  const spend = [['vk', null, null, 150_000], ['ya', 'spring', null, 70_001], ['vk', 'autumn', 'shop', 33_333], ['ya', null, 'other', 1_000], ['tv', null, null, 5_000]] as const;
  for (const [n, [source, campaign, funnelId, amount]] of spend.entries()) {
    for (let d = 0; d < 5; d++) {
      await db.insertInto('spend').values({
        id: `sp_${n}_${d}`, source, campaign, funnel_id: funnelId, day: new Date(T0 + d * D).toISOString().slice(0, 10), day_start: T0 + d * D,
        amount_minor: amount + d, currency: 'RUB', created_at: T0,
      }).execute();
    }
  }
}

/** Edits after the fact: sources and campaigns change after enrolling and buying, statuses change, an order moves. */
async function edit(db: Db): Promise<void> {
  await db.updateTable('contacts').set({ source: 'ok', campaign: 'winter' }).where('id', 'in', ['ct_1', 'ct_2', 'ct_3', 'ct_5', 'ct_8']).execute();
  await db.updateTable('contacts').set({ source: null }).where('id', 'in', ['ct_13', 'ct_21']).execute();
  await db.updateTable('contacts').set({ campaign: null }).where('source', '=', 'ya').execute();
  await db.updateTable('contacts').set({ attributes: JSON.stringify({ tariff: 'vip', plan: 'b' }) }).where('id', 'in', ['ct_4', 'ct_6', 'ct_7', 'ct_9']).execute();
  await db.updateTable('contacts').set({ attributes: '{}' }).where('id', 'in', ['ct_10', 'ct_11']).execute();
  await db.updateTable('deliveries').set({ status: 'failed' }).where('status', '=', 'sent').where('touch_id', '=', 't2').execute();
  await db.updateTable('deliveries').set({ status: 'delivered', cost: 3.005 }).where('status', '=', 'skipped').where('touch_id', '=', 't2').execute();
  await db.updateTable('deliveries').set({ scheduled_at: sql`scheduled_at + ${3 * H}` }).where('touch_id', '=', 't1').execute();
  await db.updateTable('orders').set({ contact_id: 'ct_0' }).where('id', '=', 'or_4_0').execute();
  await db.deleteFrom('deliveries').where('touch_id', '=', 't3').where('status', '=', 'delivered').execute();
}

type Ref = { enrolled: number; converted: number; orders: number; revenueMinor: number; messageCostMinor: number; spendMinor: number };

/** The simple reference: one plain GROUP BY per table joined to the contacts, and the spend shared by leads. */
async function reference(db: Db, s: MoneyScope, groupBy?: GroupBy): Promise<Map<string, Ref>> {
  const out = new Map<string, Ref>();
  const attributeKey = (attrs: string, name: string) => {
    const v = (JSON.parse(attrs) as Record<string, unknown>)[name];
    return v === null || v === undefined ? null : String(v);
  };
  const groupOf = (r: Record<string, unknown>) => (!groupBy ? '' : groupBy.kind === 'source' ? r.source : groupBy.kind === 'campaign' ? r.campaign
    : attributeKey(String(r.attributes), groupBy.name));
  const at = (g: unknown) => {
    const id = g === null || g === '' || g === undefined ? '(none)' : String(g);
    if (!out.has(id)) out.set(id, { enrolled: 0, converted: 0, orders: 0, revenueMinor: 0, messageCostMinor: 0, spendMinor: 0 });
    return out.get(id)!;
  };
  const rows = async (q: string) => (await sql.raw<Record<string, unknown>>(q).execute(db)).rows;
  const period = (col: string) => `${col} >= ${s.from} AND ${col} < ${s.to}`;
  const k = 'k.source, k.campaign, k.attributes';
  for (const r of await rows(`SELECT ${k} FROM enrollments e JOIN contacts k ON k.id = e.contact_id WHERE e.funnel_id = '${s.funnelId}' AND ${period('e.enrolled_at')}`)) at(groupOf(r)).enrolled += 1;
  for (const r of await rows(`SELECT ${k} FROM conversions c JOIN contacts k ON k.id = c.contact_id WHERE c.funnel_id = '${s.funnelId}' AND ${period('c.occurred_at')}`)) at(groupOf(r)).converted += 1;
  for (const r of await rows(`SELECT ${k}, o.amount_minor FROM orders o JOIN contacts k ON k.id = o.contact_id WHERE o.funnel_id = '${s.funnelId}' AND o.currency = '${s.currency}' AND ${period('o.occurred_at')}`)) {
    at(groupOf(r)).orders += 1;
    at(groupOf(r)).revenueMinor += Number(r.amount_minor);
  }
  for (const r of await rows(`SELECT ${k}, d.channel, round(coalesce(d.cost, 0) * 100) AS sms FROM deliveries d JOIN contacts k ON k.id = d.contact_id WHERE d.funnel_id = '${s.funnelId}' AND d.status IN ('sent', 'delivered') AND ${period('d.scheduled_at')}`)) {
    at(groupOf(r)).messageCostMinor += r.channel === 'sms' ? Number(r.sms) : r.channel === 'email' ? COSTS.email : r.channel === 'telegram' ? COSTS.telegram : 0;
  }
  const leads = await rows(`SELECT e.funnel_id, k.source, k.campaign FROM enrollments e JOIN contacts k ON k.id = e.contact_id WHERE k.source IS NOT NULL AND ${period('e.enrolled_at')}`);
  let total = 0;
  for (const r of await rows(`SELECT source, campaign, funnel_id, amount_minor FROM spend WHERE currency = '${s.currency}' AND ${period('day_start')} AND (funnel_id = '${s.funnelId}' OR funnel_id IS NULL)`)) {
    const theirs = leads.filter((l) => l.source === r.source && (r.campaign === null || l.campaign === r.campaign));
    const share = r.funnel_id !== null ? 1 : theirs.length === 0 ? 0 : theirs.filter((l) => l.funnel_id === s.funnelId).length / theirs.length;
    const amount = Number(r.amount_minor) * share;
    total += amount;
    if (groupBy?.kind === 'source' || groupBy?.kind === 'campaign') at(groupBy.kind === 'source' ? r.source : r.campaign).spendMinor += amount;
  }
  if (!groupBy) at('').spendMinor = total;
  if (groupBy?.kind === 'attribute') { // the funnel's spend split by each group's share of its leads
    const all = [...out.values()].reduce((a, r) => a + r.enrolled, 0);
    for (const r of out.values()) r.spendMinor = all === 0 ? 0 : (total * r.enrolled) / all;
  }
  return out;
}

const touches = TOUCHES.map(([touchId, channel]) => ({ touchId, channel, revenue: 0 })) as unknown as TouchStats[];
const PERIODS: Array<[number, number]> = [
  [0, FAR_FUTURE], // whole days only
  [T0 + 1_234_567, T0 + 3 * D + 777_777], // days, hours and raw ends
  [T0 + D + 5 * H + 1, T0 + D + 5 * H + 2_000_000], // one raw piece
  [T0 + 2 * H, T0 + 20 * H], // whole hours
];

async function expectExact(db: Db): Promise<void> {
  for (const [from, to] of PERIODS) {
    for (const funnelId of ['shop', 'other']) {
      const scope: MoneyScope = { funnelId, from, to, currency: 'RUB' };
      const label = `${funnelId} ${from}–${to}`;
      const { money } = await funnelMoney(db, scope, COSTS, 'last_touch', touches);
      const whole = (await reference(db, scope)).get('(none)');
      expect({ leads: money.leads, orders: money.orders, revenueMinor: money.revenueMinor, spend: money.spend, messageCost: money.messageCost }, label).toEqual({
        leads: whole?.enrolled ?? 0, orders: whole?.orders ?? 0, revenueMinor: whole?.revenueMinor ?? 0,
        spend: Math.round(whole?.spendMinor ?? 0) / 100, messageCost: Math.round(whole?.messageCostMinor ?? 0) / 100,
      });
      const perTouch = (await sql<{ touch_id: string; channel: string; sms: number }>`SELECT touch_id, channel, round(coalesce(cost, 0) * 100) AS sms FROM deliveries
        WHERE funnel_id = ${funnelId} AND status IN ('sent', 'delivered') AND scheduled_at >= ${from} AND scheduled_at < ${to}`.execute(db)).rows
        .reduce((m, r) => m.set(r.touch_id, (m.get(r.touch_id) ?? 0)
          + (r.channel === 'sms' ? Number(r.sms) : r.channel === 'email' ? COSTS.email : r.channel === 'telegram' ? COSTS.telegram : 0)), new Map<string, number>());
      expect(money.touches.map((t) => [t.touchId, t.messageCost]), label).toEqual(TOUCHES.map(([id]) => [id, Math.round(perTouch.get(id) ?? 0) / 100]));
      const by: GroupBy[] = [{ kind: 'source' }, { kind: 'campaign' }, { kind: 'attribute', name: 'tariff' }, { kind: 'attribute', name: 'plan' }];
      for (const groupBy of by) {
        const kind = JSON.stringify(groupBy);
        const { groups } = await funnelMoney(db, scope, COSTS, 'last_touch', touches, groupBy);
        const ref = await reference(db, scope, groupBy);
        const expected = [...ref.entries()].map(([key, r]) => ({
          key, enrolled: r.enrolled, converted: r.converted, orders: r.orders, revenue: Math.round(r.revenueMinor) / 100,
          spend: Math.round(r.spendMinor) / 100, messageCost: Math.round(r.messageCostMinor) / 100,
        })).sort((a, b) => a.key.localeCompare(b.key));
        const got = (groups ?? []).map((g) => ({ key: g.key, enrolled: g.enrolled, converted: g.converted, orders: g.orders, revenue: g.revenue, spend: g.spend, messageCost: g.messageCost }))
          .sort((a, b) => a.key.localeCompare(b.key));
        expect(got, `${label} by ${kind}`).toEqual(expected);
      }
    }
  }
}

const KEYS = ['funnel_id', 'dim', 'gkey', 'gkey2', 'currency', 'source', 'campaign', 'hour', 'day'];

/** Every money rollup row with a non-zero counter. */
async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of MONEY_TABLE_NAMES) {
    out[table] = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db)).rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, KEYS.includes(k) ? v : Number(v)]))) // PostgreSQL's bigints are strings
      .filter((r) => Object.entries(r).some(([k, v]) => !KEYS.includes(k) && v !== 0))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

describe('money rollups', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeEach(async () => { ({ db, close } = await freshDatabase()); });
  afterEach(async () => { await close(); });

  it('answer the grouped money exactly as the raw tables do, before and after sources, statuses and orders change', async () => {
    await seed(db);
    await rollUpAttribute(db, 'tariff'); // backfilled over the rows already there; 'plan' stays on the raw path
    const seeded = await snapshot(db);
    expect(seeded.rollup_money_days!.length).toBeGreaterThan(30);
    await expectExact(db);
    await edit(db);
    const edited = await snapshot(db);
    expect(edited).not.toEqual(seeded);
    await expectExact(db);
    await rebuildRollups(db);
    expect(await snapshot(db)).toEqual(edited);
  });

  it('keep the ungrouped funnel money (buyers, repeat buyers, repeat orders and revenue) as the raw tables count it', async () => {
    await seed(db);
    await edit(db);
    const scope: MoneyScope = { funnelId: 'shop', from: T0 + 1_234_567, to: T0 + 3 * D + 777_777, currency: 'RUB' };
    const { money } = await funnelMoney(db, scope, COSTS, 'last_touch', touches);
    const r = (await sql<Record<string, number | string>>`SELECT count(*) AS buyers, sum(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS repeat_buyers,
      sum(n - firsts) AS repeat_orders, sum(first_revenue) AS first_revenue FROM
      (SELECT contact_id, count(*) AS n, sum(is_first) AS firsts, sum(CASE WHEN is_first = 1 THEN amount_minor ELSE 0 END) AS first_revenue
       FROM orders WHERE funnel_id = 'shop' AND currency = 'RUB' AND occurred_at >= ${scope.from} AND occurred_at < ${scope.to} GROUP BY contact_id) x`.execute(db)).rows[0]!;
    expect({ buyers: money.buyers, repeatBuyers: money.repeatBuyers, repeatOrders: money.repeatOrders, firstRevenue: money.firstRevenue }).toEqual({
      buyers: Number(r.buyers), repeatBuyers: Number(r.repeat_buyers), repeatOrders: Number(r.repeat_orders), firstRevenue: Number(r.first_revenue) / 100,
    });
    expect(money.repeatOrders).toBeGreaterThan(0);
    expect(money.repeatBuyers).toBeGreaterThan(0);
  });

  it('are built by migration 0022 from the rows already there, as a rebuild builds them', async () => {
    const { db: old, close: closeOld } = await freshDatabase({ migrated: false });
    try {
      const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0022'));
      const upTo = (m: typeof migrations) => new Migrator({ db: old, provider: { getMigrations: async () => m } }).migrateToLatest();
      expect((await upTo(before)).error).toBeUndefined();
      await seed(old);
      await edit(old);
      expect((await upTo(migrations)).error).toBeUndefined();
      await rollUpAttribute(old, 'tariff');
      const migrated = await snapshot(old);
      expect(migrated.rollup_money_days!.length).toBeGreaterThan(30);
      await rebuildRollups(old);
      expect(await snapshot(old)).toEqual(migrated);
      await expectExact(old);
    } finally {
      await closeOld();
    }
  });
});
