import type { Attribution, Goal } from '../dsl/plan';

/** Attribution models the contract names, every one computed and stored for every conversion. */
export const ATTRIBUTION_MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
/** One of the contract's attribution models. */
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** The default time-decay half-life: 7 days. */
export const DEFAULT_HALF_LIFE_MS = 7 * 86_400_000;

/** How a funnel attributes: the window before the goal in which touches earn credit, and the time-decay half-life. */
export interface AttributionSettings {
  windowMs: number;
  halfLifeMs: number;
}

/** A funnel's attribution settings with the defaults filled in: the window defaults to the goal's window, the half-life to 7 days. */
export function attributionSettings(goal: Pick<Goal, 'withinMs'>, attribution?: Partial<Attribution> | undefined): AttributionSettings {
  return { windowMs: attribution?.windowMs ?? goal.withinMs, halfLifeMs: attribution?.halfLifeMs ?? DEFAULT_HALF_LIFE_MS };
}

/** The position-based shares of the first and last touch (the middle ones split the rest). */
export const POSITION_ENDS = 0.4;

/**
 * Each touch's share of one conversion under `model`, for touches given oldest first as their times (epoch ms).
 * Shares are ≥ 0 and sum to 1 (an empty list gets no shares). Time decay halves a touch's weight for every
 * `halfLifeMs` it lies further from the goal; position-based gives 40/20/40 (100 with one touch, 50/50 with two).
 */
export function creditShares(model: AttributionModel, touchTimes: readonly number[], halfLifeMs: number): number[] {
  const n = touchTimes.length;
  if (n === 0) return [];
  const shares = new Array<number>(n).fill(0);
  switch (model) {
    case 'last_touch':
      shares[n - 1] = 1;
      return shares;
    case 'first_touch':
      shares[0] = 1;
      return shares;
    case 'linear':
      return shares.fill(1 / n);
    case 'time_decay': {
      // 2^(-(goal - t) / halfLife), normalised: the goal time cancels out, and measuring from the newest touch
      // keeps the weights away from underflow.
      const newest = touchTimes[n - 1]!;
      const weights = touchTimes.map((t) => 2 ** (-(newest - t) / halfLifeMs));
      const total = weights.reduce((a, b) => a + b, 0);
      return weights.map((w) => w / total);
    }
    case 'position_based': {
      if (n === 1) return [1];
      if (n === 2) return [0.5, 0.5];
      shares.fill((1 - 2 * POSITION_ENDS) / (n - 2));
      shares[0] = POSITION_ENDS;
      shares[n - 1] = POSITION_ENDS;
      return shares;
    }
  }
}
