import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { startServedApp, type ServedTestApp } from '../helpers/served-app';
import { leadPlan } from '../http/pages/page-app';

/*
 * What a funnel earns and costs, through the served app over a loopback socket: every goal event is an order
 * (repeats credited to the touches since the previous one), LTV per contact, spend and message cost, ROMI, sources
 * captured from a real form submission, and the grouped stats against a simple reference computed here.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2025-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const shopPlan: Plan = {
  timezone: 'UTC', attributes: ['tariff'], events: [], id: 'shop', name: 'Магазин', entry: null,
  goal: { event: 'order.paid', withinMs: 30 * DAY, exit: false },
  steps: [
    { type: 'email', id: 'a', subject: 'A', text: 'a' },
    { type: 'sms', id: 'b', text: 'b' },
    { type: 'email', id: 'c', subject: 'C', text: 'c' },
  ],
} as Plan;

let t: ServedTestApp;
afterEach(async () => { await t?.stop(); });

async function start(): Promise<ServedTestApp> {
  t = await startServedApp({ plans: [shopPlan, leadPlan], now: () => T0, extra: () => ({ messageCosts: { email: 50, telegram: 0 } }) });
  return t;
}

async function contactIn(app: ServedTestApp, body: Record<string, unknown>): Promise<{ contactId: string; enrollmentId: string }> {
  const c = await app.api('POST', '/api/contacts', body);
  expect(c.status).toBe(201);
  const e = await app.api('POST', '/api/funnels/shop/enrollments', { contactId: c.json.id });
  expect(e.status).toBe(201);
  return { contactId: c.json.id, enrollmentId: e.json.enrollmentId };
}

/** A ledger row as the send activity leaves it (sent, with the SMS provider's cost in rubles). */
async function sent(db: Db, e: { contactId: string; enrollmentId: string }, touchId: string, channel: string, at: number, cost: number | null = null) {
  await db.insertInto('deliveries').values({
    id: `dl_${touchId}_${e.enrollmentId}`, enrollment_id: e.enrollmentId, funnel_id: 'shop', contact_id: e.contactId, touch_id: touchId, channel,
    status: 'sent', reason: null, recipient: 'x', subject: null, provider_message_id: null, attempts: 1, scheduled_at: at, created_at: at,
    sent_at: at, delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null, cost,
  }).execute();
}

async function paid(app: ServedTestApp, contactId: string, at: number, value: number) {
  const r = await app.api('POST', '/api/events', { contactId, name: 'order.paid', value, occurredAt: iso(at) });
  expect(r.status).toBe(202);
}

describe('money: repeat purchases and LTV', () => {
  it('counts every goal event, credits a repeat to the touches since the previous order, and sums LTV exactly', async () => {
    const app = await start();
    const anna = await contactIn(app, { email: 'anna@example.test', source: { utm_source: 'VK', utm_campaign: 'spring' } });
    await sent(app.db, anna, 'a', 'email', T0 + HOUR);
    await paid(app, anna.contactId, T0 + 2 * HOUR, 1000.5);
    await sent(app.db, anna, 'b', 'sms', T0 + 3 * HOUR, 2.35);
    await sent(app.db, anna, 'c', 'email', T0 + 4 * HOUR);
    await paid(app, anna.contactId, T0 + 5 * HOUR, 0.1);
    // The workflow has run to its end by now: a finished enrollment still counts a repeat inside its goal window.
    await app.db.updateTable('enrollments').set({ status: 'converted', finished_at: T0 + 5 * HOUR + 1 }).where('id', '=', anna.enrollmentId).execute();
    await paid(app, anna.contactId, T0 + 6 * HOUR, 0.2); // no touch since the previous order: no credit

    const contact = await app.api('GET', `/api/contacts/${anna.contactId}`);
    expect(contact.json).toMatchObject({
      ltv: 1000.8, ltvMinor: 100080, currency: 'RUB', orders: 3, firstPurchaseAt: iso(T0 + 2 * HOUR), lastPurchaseAt: iso(T0 + 6 * HOUR),
      source: { key: 'vk', campaign: 'spring', first: { utm_source: 'VK', utm_campaign: 'spring', key: 'vk' } },
    });

    const last = (await app.api('GET', '/api/funnels/shop/stats?money=true')).json;
    expect(last).toMatchObject({ enrolled: 1, converted: 1, revenue: 1000.5 }); // the first conversion, as before
    expect((await app.api('GET', '/api/funnels/shop/stats')).json.money).toBeUndefined(); // asked for with money=true only
    expect(last.money).toMatchObject({
      currency: 'RUB', orders: 3, repeatOrders: 2, revenueMinor: 100080, revenue: 1000.8, firstRevenue: 1000.5, repeatRevenue: 0.3,
      buyers: 1, repeatBuyers: 1, repeatPurchaseRate: 1, messageCost: 3.35, spend: 0, cost: 3.35, leads: 1,
    });
    const touch = (body: any, id: string) => body.money.touches.find((x: any) => x.touchId === id);
    expect(touch(last, 'a')).toMatchObject({ creditedRevenue: 1000.5, repeatRevenue: 0, messageCost: 0.5 });
    expect(touch(last, 'b')).toMatchObject({ repeatConverted: 0, repeatRevenue: 0, messageCost: 2.35 });
    expect(touch(last, 'c')).toMatchObject({ repeatConverted: 1, repeatRevenue: 0.1, creditedRevenue: 0.1, messageCost: 0.5 });
    const linear = (await app.api('GET', '/api/funnels/shop/stats?money=true&model=linear')).json;
    expect(touch(linear, 'b')).toMatchObject({ repeatConverted: 0.5, repeatRevenue: 0.05 });
    expect(touch(linear, 'c')).toMatchObject({ repeatConverted: 0.5, repeatRevenue: 0.05 });
    expect(touch(linear, 'a')).toMatchObject({ repeatConverted: 0 });
    const first = (await app.api('GET', '/api/funnels/shop/stats?money=true&model=first_touch')).json;
    expect(touch(first, 'b')).toMatchObject({ repeatConverted: 1, repeatRevenue: 0.1 });

    const detail = (await app.api('GET', `/api/enrollments/${anna.enrollmentId}`)).json;
    expect(detail).toMatchObject({ orders: 3, repeatOrders: 2, revenueMinor: { RUB: 100080 } });

    // A redone dispatch of the same event is no second order.
    await paid(app, anna.contactId, T0 + 6 * HOUR, 0.2);
    expect((await app.counts('orders')).orders).toBe(4);
    expect((await app.api('GET', `/api/contacts/${anna.contactId}`)).json.orders).toBe(4);
  });
});

describe('money: cohorts', () => {
  it('answers enrollment weeks with cumulative conversions, orders and revenue by week since enrollment', async () => {
    const app = await start();
    const anna = await contactIn(app, { email: 'anna@example.test' });
    await contactIn(app, { email: 'boris@example.test' });
    await paid(app, anna.contactId, T0 + HOUR, 100);
    await paid(app, anna.contactId, T0 + 8 * DAY, 50.25);
    const body = (await app.api('GET', '/api/funnels/shop/cohorts')).json;
    expect(body).toEqual({
      funnelId: 'shop', currency: 'RUB',
      cohorts: [{
        week: '2025-02-24', enrolled: 2, weeks: [ // 2025-03-01 is a Saturday: its week began on Monday 24 February
          { week: 0, converted: 1, conversionRate: 0.5, orders: 1, revenue: 100, revenueMinor: 10000 },
          { week: 1, converted: 1, conversionRate: 0.5, orders: 2, revenue: 150.25, revenueMinor: 15025 },
        ],
      }],
    });
    expect((await app.api('GET', '/api/funnels/shop/cohorts?from=2025-03-02')).json.cohorts).toEqual([]);
    expect((await app.api('GET', '/api/funnels/nope/cohorts')).status).toBe(404);
  });
});

describe('money: spend and ROMI', () => {
  it('refuses a spend upload with any bad row and stores nothing; stores good JSON and CSV; ROMI counts spend and message cost', async () => {
    const app = await start();
    const bad = await app.api('POST', '/api/spend', 'source,date,amount\nvk,2025-03-01,100\nvk,2025-03-01,12.345\n,2025-13-01,5\n', { 'content-type': 'text/csv' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('validation_failed');
    expect(bad.json.error.details).toEqual([
      expect.objectContaining({ row: 2, line: 3, path: 'amount' }),
      expect.objectContaining({ row: 3, path: 'source' }), expect.objectContaining({ row: 3, path: 'date' }),
    ]);
    const badJson = await app.api('POST', '/api/spend', { rows: [{ source: 'vk', date: '2025-03-01', amount: 10 }, { source: 'vk', date: '2025-03-01', amount: -1 }] });
    expect(badJson.status).toBe(422);
    expect((await app.counts('spend')).spend).toBe(0);

    const one = await app.api('POST', '/api/spend', { source: 'vk', campaign: 'spring', date: '2025-03-01', amount: 1000.1 });
    expect(one.status).toBe(201);
    expect(one.json.rows[0]).toMatchObject({ source: 'vk', amountMinor: 100010, currency: 'RUB', date: '2025-03-01' });
    const csv = await app.api('POST', '/api/spend', 'source;date;amount;currency\nvk;2025-03-02;499,90;rub\nyandex;2025-03-02;300;RUB\n', { 'content-type': 'text/csv' });
    expect(csv.status).toBe(201);
    expect(csv.json.stored).toBe(2);

    const anna = await contactIn(app, { email: 'anna@example.test', source: { utm_source: 'vk', utm_campaign: 'spring' } });
    await sent(app.db, anna, 'b', 'sms', T0 + HOUR, 3.5);
    await paid(app, anna.contactId, T0 + 2 * HOUR, 5000);
    const money = (await app.api('GET', '/api/funnels/shop/stats?money=true')).json.money;
    // Yandex brought no lead to any funnel: its spend is nobody's cost; vk's (spring and untagged) goes to shop, its only funnel with vk leads.
    const cost = 100010 + 49990 + 350;
    expect(money).toMatchObject({ spend: 1500, messageCost: 3.5, costMinor: cost, cost: cost / 100, leads: 1, costPerLead: cost / 100, cac: cost / 100 });
    expect(money.romi).toBeCloseTo((500000 - cost) / cost, 4);
    const unspent = (await app.api('GET', '/api/funnels/shop/stats?money=true&from=2025-03-03')).json.money;
    expect(unspent).toMatchObject({ spend: 0, romi: null });
  });
});

describe('money: sources', () => {
  it('keeps the utm tags, referrer and landing URL of a real form submission as the first source; a later event updates the latest only', async () => {
    const app = await start();
    const page = await fetch(`${app.url}/f/lead?utm_source=yandex&utm_campaign=autumn&utm_medium=cpc`, { headers: { referer: 'https://ya.ru/search?q=python' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([\w]+)" value="([^"]*)"/g)]
      .map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
    expect(hidden).toEqual({
      utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'autumn', referrer: 'https://ya.ru/search?q=python',
      landing_url: 'https://funnels.example.test/f/lead?utm_source=yandex&utm_campaign=autumn&utm_medium=cpc',
    });
    const form = new URLSearchParams({ ...hidden, name: 'Вера', email: 'vera@example.test', 'consent.email': 'on' });
    const post = await fetch(`${app.url}/f/lead`, { method: 'POST', body: form, redirect: 'manual' });
    expect(post.status).toBe(303);
    const row = await app.db.selectFrom('contacts').select('id').where('email', '=', 'vera@example.test').executeTakeFirstOrThrow();
    const contact = (await app.api('GET', `/api/contacts/${row.id}`)).json;
    expect(contact.source).toMatchObject({
      key: 'yandex', campaign: 'autumn',
      first: { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'autumn', referrer: 'https://ya.ru/search?q=python', landingUrl: hidden.landing_url },
    });
    expect(contact.source.latest).toEqual(contact.source.first);

    const ev = await app.api('POST', '/api/events', { contactId: row.id, name: 'page.viewed', source: { referrer: 'https://www.t.me/channel' } });
    expect(ev.status).toBe(202);
    const again = (await app.api('GET', `/api/contacts/${row.id}`)).json;
    expect(again.source).toMatchObject({ key: 'yandex', first: { utm_source: 'yandex' }, latest: { referrer: 'https://www.t.me/channel', key: 't.me' } });
    const refused = await app.api('POST', '/api/contacts', { email: 'x@example.test', source: { utm_source: 7 } });
    expect(refused.status).toBe(400);

    // Erasure takes the captured URLs (they can hold personal data) and keeps the source's key for the stats.
    expect((await app.api('DELETE', `/api/contacts/${row.id}`)).status).toBe(204);
    const erased = await app.db.selectFrom('contacts').select(['source', 'campaign', 'source_first', 'source_latest']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(erased).toEqual({ source: 'yandex', campaign: 'autumn', source_first: null, source_latest: null });
  });

  it('groups by source, campaign and attribute and narrows by source, as a simple reference computed here says', async () => {
    const app = await start();
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const SOURCES = ['vk', 'yandex', null];
    const people: Array<{ key: string; campaign: string; tariff: string; orders: number[]; costMinor: number; touches: number }> = [];
    for (let i = 0; i < 14; i++) {
      const source = SOURCES[rnd(3)]!;
      const campaign = source ? `${source}-${rnd(2)}` : null;
      const tariff = rnd(2) === 0 ? 'base' : 'pro';
      const e = await contactIn(app, {
        email: `p${i}@example.test`, attributes: { tariff },
        ...(source && { source: { utm_source: source, utm_campaign: campaign! } }),
      });
      const p = { key: source ?? '(none)', campaign: campaign ?? '(none)', tariff, orders: [] as number[], costMinor: 0, touches: 0 };
      const touches = rnd(3);
      for (let k = 0; k < touches; k++) {
        const sms = rnd(2) === 0;
        const cost = sms ? (rnd(300) + 1) / 100 : null;
        await sent(app.db, e, ['a', 'b', 'c'][k]!, sms ? 'sms' : 'email', T0 + (k + 1) * HOUR, cost);
        p.costMinor += sms ? Math.round(cost! * 100) : 50;
        p.touches += 1;
      }
      const orders = rnd(3);
      for (let k = 0; k < orders; k++) {
        const value = (rnd(100_000) + 1) / 100;
        await paid(app, e.contactId, T0 + (5 + k) * HOUR, value);
        p.orders.push(Math.round(value * 100));
      }
      people.push(p);
    }
    await app.api('POST', '/api/spend', { rows: [
      { source: 'vk', campaign: 'vk-0', date: '2025-03-01', amount: 700 }, { source: 'vk', date: '2025-03-01', amount: 300.3 },
      { source: 'yandex', date: '2025-03-01', amount: 111.11 },
    ] });
    const spendOf: Record<string, number> = {
      vk: people.some((p) => p.key === 'vk') ? 100030 : 0,
      yandex: people.some((p) => p.key === 'yandex') ? 11111 : 0,
    };

    const reference = (keyOf: (p: (typeof people)[number]) => string) => {
      const groups = new Map<string, { enrolled: number; converted: number; revenue: number; messageCost: number }>();
      for (const p of people) {
        const g = groups.get(keyOf(p)) ?? { enrolled: 0, converted: 0, revenue: 0, messageCost: 0 };
        g.enrolled += 1;
        g.converted += p.orders.length > 0 ? 1 : 0;
        g.revenue += p.orders.reduce((a, b) => a + b, 0);
        g.messageCost += p.costMinor;
        groups.set(keyOf(p), g);
      }
      return groups;
    };
    const bySource = (await app.api('GET', '/api/funnels/shop/stats?groupBy=source')).json.groups as any[];
    const ref = reference((p) => p.key);
    expect(bySource.map((g) => g.key).sort()).toEqual([...new Set([...ref.keys(), ...Object.keys(spendOf).filter((k) => spendOf[k]! > 0)])].sort());
    for (const [key, r] of ref) {
      const g = bySource.find((x) => x.key === key);
      const spend = spendOf[key] ?? 0;
      const cost = spend + r.messageCost;
      expect(g, key).toMatchObject({
        enrolled: r.enrolled, converted: r.converted, revenue: r.revenue / 100, messageCost: r.messageCost / 100, spend: spend / 100,
        conversionRate: Math.round((r.converted / r.enrolled) * 10_000) / 10_000,
      });
      if (cost === 0) expect(g.romi).toBeNull();
      else expect(g.romi).toBeCloseTo((r.revenue - cost) / cost, 4);
    }

    const byTariff = (await app.api('GET', '/api/funnels/shop/stats?groupBy=attribute:tariff')).json.groups as any[];
    for (const [key, r] of reference((p) => p.tariff)) {
      expect(byTariff.find((x) => x.key === key), key).toMatchObject({ enrolled: r.enrolled, converted: r.converted, revenue: r.revenue / 100, messageCost: r.messageCost / 100 });
    }
    // The funnel declares `tariff`: its first grouped read rolled it up (the answers above came from the money rollups).
    expect((await sql<{ name: string }>`SELECT name FROM money_attributes`.execute(app.db)).rows).toEqual([{ name: 'tariff' }]);
    const byCampaign = (await app.api('GET', '/api/funnels/shop/stats?groupBy=campaign')).json.groups as any[];
    for (const [key, r] of reference((p) => p.campaign)) {
      expect(byCampaign.find((x) => x.key === key), key).toMatchObject({ enrolled: r.enrolled, converted: r.converted, revenue: r.revenue / 100 });
    }

    const vk = people.filter((p) => p.key === 'vk');
    const narrowed = (await app.api('GET', '/api/funnels/shop/stats?money=true&source=vk&groupBy=attribute:tariff')).json;
    expect(narrowed).toMatchObject({ enrolled: vk.length, converted: vk.filter((p) => p.orders.length > 0).length });
    expect(narrowed.money).toMatchObject({
      leads: vk.length, revenueMinor: vk.flatMap((p) => p.orders).reduce((a, b) => a + b, 0), spend: spendOf.vk! / 100,
      messageCost: vk.reduce((a, p) => a + p.costMinor, 0) / 100,
    });
    expect(narrowed.touches.reduce((a: number, x: any) => a + x.sent, 0)).toBe(vk.reduce((a, p) => a + p.touches, 0));
    expect(narrowed.groups.reduce((a: number, g: any) => a + g.enrolled, 0)).toBe(vk.length);

    const bad = await app.api('GET', '/api/funnels/shop/stats?groupBy=city');
    expect(bad.status).toBe(422);
  });
});
