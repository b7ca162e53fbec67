import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { isGoalHit, recordConversion } from '../../src/analytics/record-conversion';
import { ATTRIBUTION_MODELS } from '../../src/analytics/attribution-models';
import type { EnrollmentRow, EventRow } from '../../src/db/schema';
import type { Goal } from '../../src/dsl/plan';
import { addDelivery, addEnrollment, openAnalyticsDb } from './analytics-db';
import { failInserts } from '../helpers/db-tools';

const D = 86_400_000;
const T0 = Date.parse('2026-01-05T07:00:00Z');
const goal: Goal = { event: 'order.paid', withinMs: 7 * D, exit: true };

describe('analytics/record-conversion', () => {
  let db: Db;
  let close: () => Promise<void>;
  let enrollment: EnrollmentRow;
  beforeEach(async () => {
    ({ db, close } = await openAnalyticsDb());
    await addEnrollment(db, { id: 'en_1', funnel_id: 'f', enrolled_at: T0 });
    enrollment = await db.selectFrom('enrollments').selectAll().where('id', '=', 'en_1').executeTakeFirstOrThrow();
    await addDelivery(db, { id: 'dl_1', enrollmentId: 'en_1', funnelId: 'f', touchId: 'welcome', status: 'delivered', at: T0 });
    await addDelivery(db, { id: 'dl_2', enrollmentId: 'en_1', funnelId: 'f', touchId: 'offer', status: 'outbox', at: T0 + 2 * D });
    await addDelivery(db, { id: 'dl_3', enrollmentId: 'en_1', funnelId: 'f', touchId: 'broken', status: 'failed', at: T0 + 3 * D });
    await addDelivery(db, { id: 'dl_h', enrollmentId: 'en_1', funnelId: 'f', touchId: 'quiet', status: 'held_out', at: T0 + 3 * D });
    await addDelivery(db, { id: 'dl_4', enrollmentId: 'en_1', funnelId: 'f', touchId: 'late', status: 'delivered', at: T0 + 5 * D });
  });
  afterEach(async () => { await close(); });

  const event = (id: string, at: number, value: number | null = 1000): EventRow => ({
    id, contact_id: 'ct_en_1', name: 'order.paid', properties: '{}', value, idempotency_key: null, occurred_at: at, received_at: at, dispatched_at: null,
  });
  const credit = (model: string) => db.selectFrom('attributions').select(['touch_id', 'credit', 'revenue'])
    .where('model', '=', model).orderBy('touch_id').execute();

  it('credits the touches that reached the customer before the goal under all five models, never a failed, held-out or later one', async () => {
    expect(await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D))).toBe(true);
    expect(await credit('last_touch')).toEqual([{ touch_id: 'offer', credit: 1, revenue: 1000 }]);
    expect(await credit('first_touch')).toEqual([{ touch_id: 'welcome', credit: 1, revenue: 1000 }]);
    expect(await credit('linear')).toEqual([{ touch_id: 'offer', credit: 0.5, revenue: 500 }, { touch_id: 'welcome', credit: 0.5, revenue: 500 }]);
    expect(await credit('position_based')).toEqual([{ touch_id: 'offer', credit: 0.5, revenue: 500 }, { touch_id: 'welcome', credit: 0.5, revenue: 500 }]);
    const decay = await credit('time_decay'); // 2 and 4 days before the goal, half-life 7 days
    const w = [2 ** (-2 / 7), 2 ** (-4 / 7)];
    expect(decay.map((r) => r.touch_id)).toEqual(['offer', 'welcome']);
    expect(decay[0]!.credit).toBeCloseTo(w[0]! / (w[0]! + w[1]!), 12);
    expect(decay[0]!.revenue + decay[1]!.revenue).toBeCloseTo(1000, 9);
    expect(await db.selectFrom('enrollments').select(['converted_at', 'status']).executeTakeFirstOrThrow()).toEqual({ converted_at: T0 + 4 * D, status: 'active' });
  });

  it('credits only touches inside the attribution window, which defaults to the goal window', async () => {
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 6 * D), { windowMs: 3 * D, halfLifeMs: D });
    for (const model of ATTRIBUTION_MODELS) expect(await credit(model)).toEqual([{ touch_id: 'late', credit: 1, revenue: 1000 }]);
  });

  it('applies the time-decay half-life of the plan', async () => {
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D), { halfLifeMs: 2 * D });
    const [offer, welcome] = await credit('time_decay'); // two days apart: one half-life
    expect(offer!.credit).toBeCloseTo(2 / 3, 12);
    expect(welcome!.credit).toBeCloseTo(1 / 3, 12);
  });

  it('takes the revenue from the event, else from the goal\'s default value', async () => {
    await recordConversion(db, { ...goal, value: 4900 }, enrollment, event('ev_1', T0 + 4 * D, null));
    expect((await db.selectFrom('conversions').select('value').executeTakeFirstOrThrow()).value).toBe(4900);
    expect(await credit('last_touch')).toEqual([{ touch_id: 'offer', credit: 1, revenue: 4900 }]);
    await db.deleteFrom('attributions').execute();
    await db.deleteFrom('conversions').execute();
    await recordConversion(db, { ...goal, value: 4900 }, enrollment, event('ev_2', T0 + 4 * D, 120));
    expect(await credit('first_touch')).toEqual([{ touch_id: 'welcome', credit: 1, revenue: 120 }]);
  });

  it('records a conversion without touches in the window, with no credit', async () => {
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + D), { windowMs: D / 2 });
    expect(await db.selectFrom('conversions').select('value').execute()).toEqual([{ value: 1000 }]);
    expect(await db.selectFrom('attributions').selectAll().execute()).toEqual([]);
  });

  it('counts one conversion per enrollment; a repeat of the same event is recognised and writes nothing more', async () => {
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D));
    const rows = await db.selectFrom('attributions').selectAll().execute();
    expect(rows).toHaveLength(1 + 1 + 2 + 2 + 2);
    expect(await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D))).toBe(true);
    expect(await recordConversion(db, goal, enrollment, event('ev_2', T0 + 6 * D))).toBe(false);
    expect(await db.selectFrom('conversions').select('event_id').execute()).toEqual([{ event_id: 'ev_1' }]);
    expect(await db.selectFrom('attributions').selectAll().execute()).toEqual(rows);
  });

  it('stores nothing when crediting fails half-way (one transaction)', async () => {
    await failInserts(db, 'attributions', 'boom', "new.model = 'linear'");
    await expect(recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D))).rejects.toThrow(/boom/);
    expect(await db.selectFrom('conversions').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('attributions').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('enrollments').select('converted_at').executeTakeFirstOrThrow()).converted_at).toBeNull();
  });

  it('turns a finished enrollment into converted', async () => {
    await db.updateTable('enrollments').set({ status: 'exited', finished_at: T0 + 6 * D }).execute();
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 6 * D + 1));
    expect((await db.selectFrom('enrollments').select('status').executeTakeFirstOrThrow()).status).toBe('converted');
  });

  it('only counts the goal inside its window after enrollment', () => {
    expect(isGoalHit(goal, enrollment, event('a', T0 + 7 * D))).toBe(true);
    expect(isGoalHit(goal, enrollment, event('b', T0 + 7 * D + 1))).toBe(false);
    expect(isGoalHit(goal, enrollment, event('c', T0 - 1))).toBe(false);
    expect(isGoalHit(goal, enrollment, { ...event('d', T0 + D), name: 'order.created' })).toBe(false);
  });
});
