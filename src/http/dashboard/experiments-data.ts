import type { Db } from '../../db/database';
import type { Plan } from '../../dsl/plan';
import { experiments } from '../../analytics/experiments';

/** One variant of a split: enrollments assigned to it, how many converted, its rate and the chance it is the best. */
export interface SplitVariantResult {
  variantId: string;
  enrolled: number;
  converted: number;
  rate: number;
  /** Null below the sample threshold: the panel then shows counts only. */
  probabilityBest: number | null;
}

/** A split's comparison; `pValue` tests whether the variants' rates differ; `note` explains a weak result. */
export interface SplitResult {
  splitId: string;
  variants: SplitVariantResult[];
  pValue: number | null;
  note?: string | undefined;
}

/** A group's size and conversions. */
export interface GroupResult {
  n: number;
  converted: number;
  rate: number;
}

/** A touch with a holdout: those who got it against those held out; lift is the difference of rates with its 95% interval. */
export interface HoldoutResult {
  touchId: string;
  reached: GroupResult;
  heldOut: GroupResult;
  lift: number | null;
  ci95: [number, number] | null;
  note?: string | undefined;
}

/** Split and holdout results of one funnel over a period (the shape of src/analytics/experiments.ts). */
export interface ExperimentsReport {
  splits: SplitResult[];
  holdouts: HoldoutResult[];
}

/** Computes a funnel's experiments over [from, to); null means "not computed" and the page says so. */
export type ExperimentsLoader = (db: Db, plan: Plan, period: { from?: number | undefined; to?: number | undefined }) => Promise<ExperimentsReport | null>;

/** The dashboard's only door to the experiments analytics (src/analytics/experiments.ts), over [from, to). */
export const loadExperiments: ExperimentsLoader = (db, plan, period) => experiments(db, plan, { from: period.from, to: period.to });
