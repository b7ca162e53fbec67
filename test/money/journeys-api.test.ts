import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { startServedApp, type ServedTestApp } from '../helpers/served-app';
import { leadPlan } from '../http/pages/page-app';
import { DashboardClient, plain } from '../browser/dashboard-client';
import { SERVED } from '../helpers/served-app';

/*
 * Touches before purchase, through the served app over a loopback socket: for a funnel's conversions, every touch of
 * any funnel (automated and logged by staff) that reached the buyer before the purchase, by channel and as a
 * distribution of touches per conversion, in `GET /api/funnels/:id/stats?journeys=true` and `/journeys`.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2025-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const shopPlan = {
  timezone: 'UTC', attributes: [], events: [], id: 'shop', name: 'Магазин', entry: null,
  goal: { event: 'order.paid', withinMs: 30 * DAY, exit: false },
  steps: [{ type: 'email', id: 'a', subject: 'A', text: 'a' }, { type: 'sms', id: 'b', text: 'b' }, { type: 'email', id: 'c', subject: 'C', text: 'c' }],
} as Plan;

let t: ServedTestApp;
afterEach(async () => { await t?.stop(); });

async function enroll(funnelId: string, contactId: string): Promise<string> {
  const e = await t.api('POST', `/api/funnels/${funnelId}/enrollments`, { contactId });
  expect(e.status).toBe(201);
  return e.json.enrollmentId;
}

/** A ledger row as the send activity leaves it. */
async function sent(db: Db, funnelId: string, enrollmentId: string, contactId: string, touchId: string, channel: string, at: number) {
  await db.insertInto('deliveries').values({
    id: `dl_${touchId}_${enrollmentId}`, enrollment_id: enrollmentId, funnel_id: funnelId, contact_id: contactId, touch_id: touchId, channel,
    status: 'sent', reason: null, recipient: 'x', subject: null, provider_message_id: null, attempts: 1, scheduled_at: at, created_at: at,
    sent_at: at, delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null,
  }).execute();
}

describe('touches before purchase', () => {
  it('counts every funnel\'s touches, automated and staff, by channel and per conversion, before each purchase only', async () => {
    let clock = T0;
    t = await startServedApp({ plans: [shopPlan, leadPlan], now: () => clock });
    const contact = async (email: string) => (await t.api('POST', '/api/contacts', { email })).json.id as string;
    const [anna, boris, vera, dima] = [await contact('anna@example.test'), await contact('boris@example.test'), await contact('vera@example.test'), await contact('dima@example.test')];
    const annaShop = await enroll('shop', anna);
    const annaLead = await enroll('lead', anna);
    const borisShop = await enroll('shop', boris);
    await enroll('shop', vera);
    const dimaShop = await enroll('shop', dima);
    clock = T0 + 10 * HOUR;
    await sent(t.db, 'shop', annaShop, anna, 'a', 'email', T0 + HOUR);
    await sent(t.db, 'lead', annaLead, anna, 'hello', 'telegram', T0 + 90 * 60_000); // another funnel's touch counts too
    await sent(t.db, 'shop', annaShop, anna, 'b', 'sms', T0 + 2 * HOUR);
    expect((await t.api('POST', '/api/touches', { contactId: anna, funnelId: 'shop', kind: 'call', by: 'Ivan', at: iso(T0 + 3 * HOUR) })).status).toBe(201);
    await sent(t.db, 'shop', annaShop, anna, 'c', 'email', T0 + 5 * HOUR); // after her purchase: not before it
    await sent(t.db, 'shop', borisShop, boris, 'a', 'email', T0 + HOUR);
    await sent(t.db, 'shop', dimaShop, dima, 'a', 'email', T0 + HOUR); // never buys
    const paid = async (contactId: string, at: number) =>
      expect((await t.api('POST', '/api/events', { contactId, name: 'order.paid', value: 100, occurredAt: iso(at) })).status).toBe(202);
    await paid(anna, T0 + 4 * HOUR);
    await paid(boris, T0 + 2 * HOUR);
    await paid(vera, T0 + 30 * 60_000); // bought before any touch

    const figures = {
      conversions: 3, touches: 5, automatedTouches: 4, staffTouches: 1, meanTouches: 1.6667, medianTouches: 1, meanFunnels: 1,
      byChannel: [
        { channel: 'email', staff: false, touches: 2, share: 0.4, perConversion: 0.6667 },
        { channel: 'sms', staff: false, touches: 1, share: 0.2, perConversion: 0.3333 },
        { channel: 'staff', staff: true, touches: 1, share: 0.2, perConversion: 0.3333 },
        { channel: 'telegram', staff: false, touches: 1, share: 0.2, perConversion: 0.3333 },
      ],
      distribution: [
        { touches: 0, conversions: 1, share: 0.3333, meanStaff: 0 },
        { touches: 1, conversions: 1, share: 0.3333, meanStaff: 0 },
        { touches: 4, conversions: 1, share: 0.3333, meanStaff: 1 },
      ],
    };
    const stats = await t.api('GET', '/api/funnels/shop/stats?journeys=true');
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ funnelId: 'shop', converted: 3 });
    expect(stats.json.touchesBeforePurchase).toEqual(figures);
    const withMoney = await t.api('GET', '/api/funnels/shop/stats?journeys=true&money=true&groupBy=source');
    expect(withMoney.json.touchesBeforePurchase).toEqual(figures);
    expect(withMoney.json.money).toBeDefined();
    expect((await t.api('GET', '/api/funnels/shop/stats')).json.touchesBeforePurchase).toBeUndefined(); // asked for only
    expect((await t.api('GET', '/api/funnels/shop/journeys')).json).toEqual({ funnelId: 'shop', from: null, to: null, ...figures });

    // The period narrows the conversions: only Anna's purchase is at or after 03:00 past T0.
    const later = (await t.api('GET', `/api/funnels/shop/stats?journeys=true&from=${iso(T0 + 3 * HOUR)}`)).json.touchesBeforePurchase;
    expect(later).toMatchObject({ conversions: 1, touches: 4, medianTouches: 4, meanFunnels: 2, distribution: [{ touches: 4, conversions: 1, share: 1, meanStaff: 1 }] });
    const none = (await t.api('GET', `/api/funnels/shop/stats?journeys=true&from=${iso(T0 + 5 * HOUR)}`)).json.touchesBeforePurchase;
    expect(none).toEqual({ conversions: 0, touches: 0, automatedTouches: 0, staffTouches: 0, meanTouches: 0, medianTouches: 0, meanFunnels: 0, byChannel: [], distribution: [] });
    expect((await t.api('GET', '/api/funnels/shop/stats?journeys=maybe')).status).toBe(422);

    // The funnel page over the same socket draws the distribution: a bar per touch count, and the channels' shares.
    const overSocket = { request: (url: string, init?: RequestInit) => fetch(`${t.url}${url}`, { ...init, redirect: 'manual' }) };
    const client = new DashboardClient(overSocket as never, SERVED.adminPassword);
    const html = await client.page('/dashboard/funnels/shop', await client.login());
    expect(html).toContain('data-touches="4" data-conversions="1"');
    expect(html).toContain('data-touches="2" data-conversions="0"');
    expect(html).not.toContain('data-touches="5"');
    expect(plain(html)).toContain('в среднем 1,67, медиана 1 · автоматических 4, от сотрудников 1');
    expect(plain(html)).toMatch(/data-journey-channel="staff">staff 20 %</);
  });
});
