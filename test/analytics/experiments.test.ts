import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { DeliveryStatus } from '../../src/db/schema';
import type { Plan } from '../../src/dsl/plan';
import { experiments } from '../../src/analytics/experiments';
import { differenceInterval, homogeneityPValue, probabilityBest } from '../../src/analytics/experiment-stats';
import { addDelivery, addEnrollment, openAnalyticsDb } from './analytics-db';

const H = 3_600_000;
const D = 24 * H;
const T = Date.parse('2025-06-02T00:00:00Z');

const plan: Plan = {
  id: 'exp', name: 'Experiments', entry: null, timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
  steps: [
    { type: 'split', id: 'subject', variants: [{ id: 'a', weight: 1, steps: [] }, { id: 'b', weight: 1, steps: [] }] },
    { type: 'email', id: 'promo', subject: 's', text: 't', holdout: 0.1 },
    { type: 'split', id: 'offer', variants: [{ id: 'x', weight: 1, steps: [] }, { id: 'y', weight: 1, steps: [] }, { id: 'z', weight: 1, steps: [] }] },
  ],
};

describe('analytics/experiments', () => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  beforeEach(async () => { ({ db, close } = await openAnalyticsDb()); });
  afterEach(async () => { await close(); });

  /** `count` enrollments assigned to a variant at `at`, the first `converting` of them converting `after` ms later. */
  async function arm(splitId: string, variantId: string, count: number, converting: number, at = T, after = D) {
    for (let i = 0; i < count; i++) {
      const id = `e${++n}`;
      await addEnrollment(db, { id, funnel_id: 'exp', enrolled_at: at - H });
      await db.insertInto('split_assignments').values({ enrollment_id: id, split_id: splitId, variant_id: variantId, funnel_id: 'exp', contact_id: `ct_${id}`, at }).execute();
      if (i < converting) await convert(id, at + after);
    }
  }
  async function convert(enrollmentId: string, at: number) {
    await db.insertInto('conversions').values({ id: `cv_${enrollmentId}`, enrollment_id: enrollmentId, funnel_id: 'exp', contact_id: `ct_${enrollmentId}`, event_id: `ev_${enrollmentId}`, value: 0, occurred_at: at }).execute();
  }
  /** `count` enrollments with touch `touchId` in `status`, the first `converting` converting a day later. */
  async function group(touchId: string, status: DeliveryStatus, count: number, converting: number, at = T) {
    for (let i = 0; i < count; i++) {
      const id = `e${++n}`;
      await addEnrollment(db, { id, funnel_id: 'exp', enrolled_at: at - H });
      await addDelivery(db, { id: `d${n}`, enrollmentId: id, funnelId: 'exp', touchId, status, at });
      if (i < converting) await convert(id, at + D);
    }
  }

  it('reports each variant\'s conversion, the probability each is best and the z-test p-value', async () => {
    await arm('subject', 'a', 200, 20);
    await arm('subject', 'b', 200, 36);
    const { splits } = await experiments(db, plan, {});
    const subject = splits.find((s) => s.splitId === 'subject')!;
    const exact = probabilityBest([{ n: 200, converted: 20 }, { n: 200, converted: 36 }]);
    expect(subject).toEqual({
      splitId: 'subject',
      variants: [
        { variantId: 'a', enrolled: 200, converted: 20, rate: 0.1, probabilityBest: Number(exact[0]!.toFixed(4)) },
        { variantId: 'b', enrolled: 200, converted: 36, rate: 0.18, probabilityBest: Number(exact[1]!.toFixed(4)) },
      ],
      pValue: Number(homogeneityPValue([{ n: 200, converted: 20 }, { n: 200, converted: 36 }])!.toFixed(6)),
    });
    expect(subject.pValue).toBeCloseTo(0.021135, 5); // pooled z = 2.306
    expect(subject.variants[1]!.probabilityBest).toBeGreaterThan(0.98);
  });

  it('counts only conversions after the assignment and assignments inside the period', async () => {
    await arm('subject', 'a', 10, 4, T, -H); // converted before reaching the split: not the variant's doing
    await arm('subject', 'a', 10, 3, T + 10 * D);
    await arm('subject', 'b', 10, 5, T + 10 * D + 30 * 60_000);
    const all = (await experiments(db, plan, {})).splits[0]!;
    expect(all.variants.map((v) => [v.variantId, v.enrolled, v.converted])).toEqual([['a', 20, 3], ['b', 10, 5]]);
    const later = (await experiments(db, plan, { from: T + 5 * D, to: T + 10 * D + 20 * 60_000 })).splits[0]!;
    expect(later.variants.map((v) => [v.variantId, v.enrolled, v.converted])).toEqual([['a', 10, 3], ['b', 0, 0]]);
    expect(later.pValue).toBeNull();
    expect(later.note).toMatch(/too small/);
  });

  it('handles three variants and variants or splits the current plan no longer has', async () => {
    await arm('offer', 'x', 150, 15);
    await arm('offer', 'y', 150, 30);
    await arm('offer', 'z', 150, 60);
    await arm('offer', 'old', 5, 0);
    await arm('retired', 'p', 3, 0);
    const { splits } = await experiments(db, plan, {});
    expect(splits.map((s) => s.splitId)).toEqual(['subject', 'offer', 'retired']);
    const offer = splits[1]!;
    expect(offer.variants.map((v) => v.variantId)).toEqual(['x', 'y', 'z', 'old']);
    expect(offer.variants[2]!.probabilityBest).toBeGreaterThan(0.9);
    expect(offer.variants.reduce((s, v) => s + (v.probabilityBest ?? 0), 0)).toBeCloseTo(1, 3);
    expect(offer.variants[3]).toEqual({ variantId: 'old', enrolled: 5, converted: 0, rate: 0, probabilityBest: null }); // too few to compare
    expect(offer.pValue).toBeLessThan(0.001);
    expect(offer.note).toMatch(/smallest: 5 enrollments/);
    expect((await experiments(db, plan, {})).splits[1]).toEqual(offer); // seeded: the same answer every time
    expect(splits[0]).toEqual({ splitId: 'subject', variants: [
      { variantId: 'a', enrolled: 0, converted: 0, rate: 0, probabilityBest: null }, { variantId: 'b', enrolled: 0, converted: 0, rate: 0, probabilityBest: null },
    ], pValue: null, note: expect.stringMatching(/too small/) });
  });

  it('says no probability and no p-value for variants below the sample threshold: counts only', async () => {
    await arm('subject', 'a', 150, 30);
    await arm('subject', 'b', 3, 2);
    const [subject] = (await experiments(db, plan, {})).splits;
    expect(subject!.variants).toEqual([
      { variantId: 'a', enrolled: 150, converted: 30, rate: 0.2, probabilityBest: null },
      { variantId: 'b', enrolled: 3, converted: 2, rate: 0.6667, probabilityBest: null },
    ]);
    expect(subject!.pValue).toBeNull();
    expect(subject!.note).toMatch(/smallest: 3 enrollments/);
  });

  it('measures a holdout\'s lift with a 95% interval: reached against held out', async () => {
    await group('promo', 'delivered', 300, 60);
    await group('promo', 'outbox', 100, 20);
    await group('promo', 'held_out', 120, 12);
    await group('promo', 'failed', 50, 50); // neither group
    await group('legacy', 'held_out', 3, 1); // a holdout of an older version
    const { holdouts } = await experiments(db, plan, {});
    const ci = differenceInterval({ n: 400, converted: 80 }, { n: 120, converted: 12 })!;
    expect(holdouts[0]).toEqual({
      touchId: 'promo', share: 0.1, reached: { n: 400, converted: 80, rate: 0.2 }, heldOut: { n: 120, converted: 12, rate: 0.1 },
      lift: 0.1, ci95: [Number(ci[0].toFixed(4)), Number(ci[1].toFixed(4))],
    });
    expect(ci[0]).toBeGreaterThan(0.02);
    expect(ci[1]).toBeLessThan(0.17);
    expect(holdouts[1]).toMatchObject({ touchId: 'legacy', reached: { n: 0 }, heldOut: { n: 3, converted: 1 }, lift: null, ci95: null, note: expect.stringMatching(/empty/) });
    expect(holdouts[1]).not.toHaveProperty('share');
  });
});
