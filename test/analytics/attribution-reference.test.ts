import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { Plan } from '../../src/dsl/plan';
import { funnelStats, funnelStatsFromRawTables, type FunnelStats } from '../../src/analytics/funnel-stats';
import { experiments, type ExperimentStats } from '../../src/analytics/experiments';
import { MIN_CONVERSIONS, MIN_PER_ARM } from '../../src/analytics/experiment-stats';
import { experimentRoutes } from '../../src/http/api/experiments';
import { handleError } from '../../src/http/error-response';
import { createTestApp, type TestApp } from '../http/test-app';
import { HISTORY_START, buildHistory, emptyTruth, type SyntheticTouch, type Truth, type TruthDelivery } from './synthetic-history';

/*
 * The stats API against a deliberately simple reference: plain loops over the arrays the synthetic history was
 * built from, with its own attribution models — no SQL, no rollups, nothing shared with the implementation.
 */

const H = 3_600_000;
const D = 24 * H;
const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
type Model = (typeof MODELS)[number];

const email = (id: string) => ({ type: 'email' as const, id, subject: id, text: id });
const alpha: Plan = {
  id: 'alpha', name: 'Alpha', entry: null, timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 7 * D, exit: false, value: 50 },
  attribution: { windowMs: 3 * D, halfLifeMs: 2 * D },
  steps: [
    email('a1'),
    { type: 'split', id: 'subject', variants: [{ id: 'x', weight: 1, steps: [email('a2x')] }, { id: 'y', weight: 1, steps: [email('a2y')] }] },
    { type: 'sms', id: 'a3', text: 'sms', holdout: 0.25 },
    { type: 'telegram', id: 'a4', text: 'tg' },
  ],
  pages: [{ id: 'thanks', title: 'Thanks', html: '<p>thanks</p>' }],
};
const alphaTouches: SyntheticTouch[] = [
  { id: 'a1', channel: 'email' }, { id: 'a2', channel: 'email', variants: { splitId: 'subject', ids: { x: 'a2x', y: 'a2y' } } },
  { id: 'a3', channel: 'sms', holdout: 0.25 }, { id: 'a4', channel: 'telegram' }, { id: 'thanks', channel: 'page', sometimes: 0.5 },
  { id: 'old-alpha', channel: 'email', sometimes: 0.3 }, // a touch of an older version
];
const beta: Plan = {
  id: 'beta', name: 'Beta', entry: null, timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'demo.booked', withinMs: 5 * D, exit: true },
  steps: [email('b1'), email('b2'), email('b3')],
};
const betaTouches: SyntheticTouch[] = [{ id: 'b1', channel: 'email' }, { id: 'b2', channel: 'email' }, { id: 'b3', channel: 'email' }];

// ---- the reference -------------------------------------------------------------------------------------------

function referenceShares(model: Model, times: number[], goalAt: number, halfLife: number): number[] {
  const n = times.length;
  return times.map((t, i) => {
    if (model === 'last_touch') return i === n - 1 ? 1 : 0;
    if (model === 'first_touch') return i === 0 ? 1 : 0;
    if (model === 'linear') return 1 / n;
    if (model === 'time_decay') {
      let total = 0;
      for (const u of times) total += 0.5 ** ((goalAt - u) / halfLife);
      return 0.5 ** ((goalAt - t) / halfLife) / total;
    }
    if (n === 1) return 1;
    if (n === 2) return 0.5;
    return i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2);
  });
}

interface RefConversion { enrollmentId: string; at: number; value: number }

function referenceConversions(truth: Truth, plan: Plan): RefConversion[] {
  const out: RefConversion[] = [];
  for (const e of truth.enrollments.filter((x) => x.funnelId === plan.id)) {
    const hits = truth.goalEvents.filter((g) => g.enrollmentId === e.id && g.at >= e.enrolledAt && g.at - e.enrolledAt <= plan.goal.withinMs);
    hits.sort((a, b) => a.at - b.at);
    const first = hits[0];
    if (first) out.push({ enrollmentId: e.id, at: first.at, value: first.value ?? plan.goal.value ?? 0 });
  }
  return out;
}

const lowerMedian = (xs: number[]) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!);
const inPeriod = (t: number, from: number, to: number) => t >= from && t < to;

function referenceStats(truth: Truth, plan: Plan, model: Model, from = 0, to = Infinity) {
  const windowMs = plan.attribution?.windowMs ?? plan.goal.withinMs;
  const halfLife = plan.attribution?.halfLifeMs ?? 7 * D;
  const enrollments = truth.enrollments.filter((e) => e.funnelId === plan.id && inPeriod(e.enrolledAt, from, to));
  const conversions = referenceConversions(truth, plan).filter((c) => inPeriod(c.at, from, to));
  const touches = new Map<string, {
    sent: number; delivered: number; outbox: number; opened: number; clicked: number; replied: number; unsubscribed: number;
    failed: number; skipped: number; deferred: number; heldOut: number; skippedByReason: Record<string, number>;
    deferredByReason: Record<string, number>; credit: number; revenue: number; assisted: number; lags: number[];
  }>();
  const touch = (id: string) => {
    if (!touches.has(id)) {
      touches.set(id, {
        sent: 0, delivered: 0, outbox: 0, opened: 0, clicked: 0, replied: 0, unsubscribed: 0, failed: 0, skipped: 0, deferred: 0, heldOut: 0,
        skippedByReason: {}, deferredByReason: {}, credit: 0, revenue: 0, assisted: 0, lags: [],
      });
    }
    return touches.get(id)!;
  };
  for (const d of truth.deliveries.filter((x) => x.funnelId === plan.id && inPeriod(x.scheduledAt, from, to))) {
    const t = touch(d.touchId);
    if (d.status === 'sent' || d.status === 'delivered') t.sent++;
    if (d.status === 'delivered' || (d.status === 'sent' && d.deliveredAt !== null)) t.delivered++;
    if (d.status === 'outbox') t.outbox++;
    if (d.status === 'failed') t.failed++;
    if (d.status === 'held_out') t.heldOut++;
    if (d.status === 'skipped') {
      t.skipped++;
      const reason = d.reason ?? 'unspecified';
      t.skippedByReason[reason] = (t.skippedByReason[reason] ?? 0) + 1;
    }
    if (d.openedAt !== null) t.opened++;
    if (d.clickedAt !== null) t.clicked++;
    if (d.repliedAt !== null) t.replied++;
    if (d.unsubscribedAt !== null) t.unsubscribed++;
  }
  for (const log of truth.logs.filter((l) => l.funnelId === plan.id && l.kind === 'deferred' && inPeriod(l.at, from, to))) {
    const t = touch(log.touchId);
    t.deferred++;
    t.deferredByReason[log.reason] = (t.deferredByReason[log.reason] ?? 0) + 1;
  }
  for (const c of conversions) {
    const credited: TruthDelivery[] = truth.deliveries.filter((d) => d.enrollmentId === c.enrollmentId && d.sentAt !== null
      && (d.status === 'sent' || d.status === 'delivered' || d.status === 'outbox') && d.sentAt <= c.at && d.sentAt >= c.at - windowMs);
    credited.sort((a, b) => a.sentAt! - b.sentAt!);
    const shares = referenceShares(model, credited.map((d) => d.sentAt!), c.at, halfLife);
    credited.forEach((d, i) => {
      if (shares[i]! <= 0) return;
      const t = touch(d.touchId);
      t.credit += shares[i]!;
      t.revenue += shares[i]! * c.value;
      if (i !== credited.length - 1) t.assisted++;
      t.lags.push(c.at - d.sentAt!);
    });
  }
  const planned = plannedTouchIds(plan);
  const extras = [...touches.keys()].filter((id) => !planned.includes(id)).filter((id) => {
    const t = touches.get(id)!;
    return [t.sent, t.outbox, t.opened, t.clicked, t.replied, t.unsubscribed, t.failed, t.skipped, t.heldOut, t.deferred, t.assisted, t.lags.length].some((n) => n > 0)
      || Math.round(t.credit * 1e4) !== 0;
  }).sort();
  return {
    enrolled: enrollments.length,
    active: enrollments.filter((e) => e.status === 'active').length,
    converted: conversions.length,
    revenue: conversions.reduce((s, c) => s + c.value, 0),
    touches: [...planned, ...extras].map((touchId) => {
      const t = touch(touchId);
      const reached = t.sent + t.outbox;
      return { touchId, ...t, conversionRate: reached > 0 ? t.credit / reached : 0, median: lowerMedian(t.lags) };
    }),
  };
}

function plannedTouchIds(plan: Plan): string[] {
  return plan.id === 'alpha' ? ['a1', 'a2x', 'a2y', 'a3', 'a4', 'thanks'] : ['b1', 'b2', 'b3'];
}

function expectMatches(actual: FunnelStats, expected: ReturnType<typeof referenceStats>, label: string) {
  expect({ enrolled: actual.enrolled, active: actual.active, converted: actual.converted }, label)
    .toEqual({ enrolled: expected.enrolled, active: expected.active, converted: expected.converted });
  expect(actual.revenue, label).toBeCloseTo(expected.revenue, 2);
  expect(actual.touches.map((t) => t.touchId), label).toEqual(expected.touches.map((t) => t.touchId));
  actual.touches.forEach((a, i) => {
    const e = expected.touches[i]!;
    const at = `${label} ${a.touchId}`;
    expect({
      sent: a.sent, delivered: a.delivered, outbox: a.outbox, opened: a.opened, clicked: a.clicked, replied: a.replied, unsubscribed: a.unsubscribed,
      failed: a.failed, skipped: a.skipped, deferred: a.deferred, heldOut: a.heldOut, skippedByReason: a.skippedByReason, deferredByReason: a.deferredByReason, assisted: a.assisted,
    }, at).toEqual({
      sent: e.sent, delivered: e.delivered, outbox: e.outbox, opened: e.opened, clicked: e.clicked, replied: e.replied, unsubscribed: e.unsubscribed,
      failed: e.failed, skipped: e.skipped, deferred: e.deferred, heldOut: e.heldOut, skippedByReason: e.skippedByReason, deferredByReason: e.deferredByReason, assisted: e.assisted,
    });
    expect(a.converted, at).toBeCloseTo(e.credit, 3);
    expect(a.revenue, at).toBeCloseTo(e.revenue, 1);
    expect(a.conversionRate, at).toBeCloseTo(e.conversionRate, 3);
    if (e.median === null) expect(a.medianTimeToConversionMs, at).toBeNull();
    else if (e.median < 1000) expect(a.medianTimeToConversionMs, at).toBeLessThan(1000);
    else { // a histogram estimate: inside the ≈9%-wide bucket of the exact median
      expect(a.medianTimeToConversionMs! / e.median, at).toBeGreaterThan(1 / 2 ** (1 / 8));
      expect(a.medianTimeToConversionMs! / e.median, at).toBeLessThan(2 ** (1 / 8));
    }
  });
}

function referenceExperiments(truth: Truth, plan: Plan, from = 0, to = Infinity) {
  const conversions = new Map(referenceConversions(truth, plan).map((c) => [c.enrollmentId, c.at]));
  const convertedAfter = (enrollmentId: string, at: number) => (conversions.get(enrollmentId) ?? -Infinity) >= at;
  const variants: Record<string, { enrolled: number; converted: number }> = {};
  for (const a of truth.assignments.filter((x) => x.funnelId === plan.id && inPeriod(x.at, from, to))) {
    const v = (variants[`${a.splitId}/${a.variantId}`] ??= { enrolled: 0, converted: 0 });
    v.enrolled++;
    if (convertedAfter(a.enrollmentId, a.at)) v.converted++;
  }
  const groups = { reached: { n: 0, converted: 0 }, heldOut: { n: 0, converted: 0 } };
  for (const d of truth.deliveries.filter((x) => x.funnelId === plan.id && x.touchId === 'a3' && inPeriod(x.scheduledAt, from, to))) {
    const g = d.status === 'held_out' ? groups.heldOut : d.status === 'sent' || d.status === 'delivered' || d.status === 'outbox' ? groups.reached : null;
    if (!g) continue;
    g.n++;
    if (convertedAfter(d.enrollmentId, d.scheduledAt)) g.converted++;
  }
  return { variants, groups };
}

function expectExperimentsMatch(actual: ExperimentStats, expected: ReturnType<typeof referenceExperiments>, label: string) {
  const split = actual.splits.find((s) => s.splitId === 'subject')!;
  expect(Object.fromEntries(split.variants.map((v) => [`subject/${v.variantId}`, { enrolled: v.enrolled, converted: v.converted }])), label)
    .toEqual({ 'subject/x': expected.variants['subject/x'] ?? { enrolled: 0, converted: 0 }, 'subject/y': expected.variants['subject/y'] ?? { enrolled: 0, converted: 0 } });
  // Probabilities only for variants with enough data (then they sum to 1); below the threshold counts only.
  const compared = split.variants.filter((v) => v.enrolled >= MIN_PER_ARM && v.converted >= MIN_CONVERSIONS);
  if (compared.length >= 2) expect(split.variants.reduce((s, v) => s + (v.probabilityBest ?? 0), 0), label).toBeCloseTo(1, 3);
  for (const v of split.variants) if (!compared.includes(v) || compared.length < 2) expect(v.probabilityBest, `${label} ${v.variantId}`).toBeNull();
  const holdout = actual.holdouts.find((h) => h.touchId === 'a3')!;
  expect({ share: holdout.share, reached: { n: holdout.reached.n, converted: holdout.reached.converted }, heldOut: { n: holdout.heldOut.n, converted: holdout.heldOut.converted } }, label)
    .toEqual({ share: 0.25, ...expected.groups });
  const { reached: r, heldOut: h } = expected.groups;
  if (r.n > 0 && h.n > 0) {
    expect(holdout.lift, label).toBeCloseTo(r.converted / r.n - h.converted / h.n, 3);
    expect(holdout.ci95![0], label).toBeLessThanOrEqual(holdout.lift!);
    expect(holdout.ci95![1], label).toBeGreaterThanOrEqual(holdout.lift!);
  }
}

// ---- the test ------------------------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();
const PERIODS: Array<{ name: string; from?: number; to?: number; query?: string }> = [
  { name: 'all time', query: '' },
  { name: 'whole days', from: HISTORY_START + 2 * D, to: HISTORY_START + 8 * D, query: 'from=2025-03-03&to=2025-03-08' },
  { name: 'ragged days and hours', from: HISTORY_START + D + 5 * H + 1_043_456, to: HISTORY_START + 8 * D + 13 * H + 2_467_891 },
  { name: 'whole hours only', from: HISTORY_START + 3 * D + 3 * H, to: HISTORY_START + 3 * D + 21 * H },
  { name: 'inside one hour', from: HISTORY_START + 3 * D + 10 * H + 300_000, to: HISTORY_START + 3 * D + 10 * H + 3_000_000 },
];

describe('analytics: stats against a simple reference implementation', () => {
  let t: TestApp;
  let truth: Truth;
  beforeAll(async () => {
    t = await createTestApp();
    t.deps.funnels.replace([{ plan: alpha, version: 'a1' }, { plan: beta, version: 'b1' }]);
    truth = emptyTruth();
    await buildHistory(t.db, alpha, alphaTouches, 150, 11, truth);
    await buildHistory(t.db, beta, betaTouches, 100, 23, truth);
  }, 60_000);
  afterAll(async () => { await t.close(); });

  it('built a history with every case the stats must handle', () => {
    const conversions = [...referenceConversions(truth, alpha), ...referenceConversions(truth, beta)];
    expect(conversions.length).toBeGreaterThan(60);
    expect(truth.goalEvents.length - conversions.length).toBeGreaterThan(10); // goals outside the window or repeated
    expect(truth.deliveries.some((d) => d.sentAt !== null && conversions.some((c) => c.enrollmentId === d.enrollmentId && d.sentAt! > c.at))).toBe(true);
    expect(truth.deliveries.some((d) => d.sentAt !== null && conversions.some((c) => c.enrollmentId === d.enrollmentId && d.sentAt! < c.at - 3 * D))).toBe(true);
    for (const s of ['sent', 'delivered', 'outbox', 'failed', 'skipped', 'held_out', 'pending', 'deferred']) expect(truth.deliveries.some((d) => d.status === s)).toBe(true);
  });

  for (const plan of [alpha, beta]) {
    for (const period of PERIODS) {
      it(`matches the reference for ${plan.id}, ${period.name}, under every model (rollups, raw tables, API)`, async () => {
        for (const model of MODELS) {
          const expected = referenceStats(truth, plan, model, period.from, period.to);
          const opts = { model, from: period.from, to: period.to };
          const stats = await funnelStats(t.db, plan, opts);
          expectMatches(stats, expected, `${plan.id} ${period.name} ${model}`);
          expect(await funnelStatsFromRawTables(t.db, plan, opts)).toEqual(stats);
          const query = period.query || [period.from !== undefined && `from=${iso(period.from)}`, period.to !== undefined && `to=${iso(period.to)}`].filter(Boolean).join('&');
          const res = await t.call('GET', `/api/funnels/${plan.id}/stats?model=${model}&${query}`);
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual(JSON.parse(JSON.stringify(stats)));
        }
      });
    }
  }

  for (const period of PERIODS) {
    it(`matches the reference split and holdout counts, ${period.name} (rollups, raw tables, API)`, async () => {
      const expected = referenceExperiments(truth, alpha, period.from, period.to);
      const result = await experiments(t.db, alpha, { from: period.from, to: period.to });
      expectExperimentsMatch(result, expected, period.name);
      expect(await experiments(t.db, alpha, { from: period.from, to: period.to }, 'raw')).toEqual(result);
      const app = new Hono().route('/api/funnels', experimentRoutes(t.deps)).onError(handleError(t.deps.log));
      const query = [period.from !== undefined && `from=${iso(period.from)}`, period.to !== undefined && `to=${iso(period.to)}`].filter(Boolean).join('&');
      const res = await app.request(`/api/funnels/alpha/experiments?${query}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(JSON.parse(JSON.stringify(result)));
    });
  }
});
