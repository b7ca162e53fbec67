import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_MODELS, attributionSettings, creditShares } from '../../src/analytics/attribution-models';

const D = 86_400_000;
const WEEK = 7 * D;

describe('analytics/attribution-models', () => {
  const three = [0, 2 * D, 5 * D];

  it('gives the whole conversion to the last touch, or to the first', () => {
    expect(creditShares('last_touch', three, WEEK)).toEqual([0, 0, 1]);
    expect(creditShares('first_touch', three, WEEK)).toEqual([1, 0, 0]);
  });

  it('splits linear credit evenly', () => {
    expect(creditShares('linear', three, WEEK)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(creditShares('linear', [0, 1, 2, 3], WEEK)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('halves a touch\'s time-decay weight for every half-life further from the goal', () => {
    const [a, b, c] = creditShares('time_decay', [0, WEEK, 2 * WEEK], WEEK) as [number, number, number];
    expect(b / a).toBeCloseTo(2, 12);
    expect(c / b).toBeCloseTo(2, 12);
    expect(a + b + c).toBeCloseTo(1, 12);
    expect(c).toBeCloseTo(4 / 7, 12);
    // a one-day half-life decays much faster than the default week
    const fast = creditShares('time_decay', [0, D], D);
    expect(fast[0]).toBeCloseTo(1 / 3, 12);
    expect(creditShares('time_decay', [0, D], WEEK)[0]).toBeCloseTo(2 ** (-1 / 7) / (1 + 2 ** (-1 / 7)), 12);
  });

  it('splits position-based credit 100 with one touch, 50/50 with two, 40/20/40 with three or more', () => {
    expect(creditShares('position_based', [0], WEEK)).toEqual([1]);
    expect(creditShares('position_based', [0, 1], WEEK)).toEqual([0.5, 0.5]);
    expect(creditShares('position_based', [0, 1, 2], WEEK).map((s) => +s.toFixed(12))).toEqual([0.4, 0.2, 0.4]);
    expect(creditShares('position_based', [0, 1, 2, 3, 4], WEEK).map((s) => +s.toFixed(12))).toEqual([0.4, 0.066666666667, 0.066666666667, 0.066666666667, 0.4]);
  });

  it('gives every model exactly one conversion to share, and nothing without touches', () => {
    for (const model of ATTRIBUTION_MODELS) {
      for (const n of [1, 2, 3, 7]) {
        const shares = creditShares(model, Array.from({ length: n }, (_, i) => i * 3_600_000), WEEK);
        expect(shares).toHaveLength(n);
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(shares.every((s) => s >= 0)).toBe(true);
      }
      expect(creditShares(model, [], WEEK)).toEqual([]);
    }
  });

  it('takes the window from the plan, else the goal\'s window, and a 7-day half-life by default', () => {
    expect(attributionSettings({ withinMs: 30 * D })).toEqual({ windowMs: 30 * D, halfLifeMs: WEEK });
    expect(attributionSettings({ withinMs: 30 * D }, { windowMs: 3 * D, halfLifeMs: D })).toEqual({ windowMs: 3 * D, halfLifeMs: D });
  });
});
