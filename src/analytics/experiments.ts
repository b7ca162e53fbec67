import { sql } from 'kysely';
import { dialectOf, type Db } from '../db/database';
import { touchesOf, walkSteps, type Plan } from '../dsl/plan';
import { differenceInterval, homogeneityPValue, isComparable, probabilityBest, smallSampleNote, type Proportion } from './experiment-stats';
import { FAR_FUTURE, periodPieces, type PeriodPiece } from './periods';
import { seedOf } from './probability';
import { rollupTable } from './rollup-ddl';
import { convertedAfterSql, deliveryCountersSql, flagSql } from './rollup-sql';

/** One arm of a split. */
export interface VariantStats {
  variantId: string;
  /** Enrollments assigned to the variant in the period. */
  enrolled: number;
  /** Of those, how many converted after the assignment. */
  converted: number;
  rate: number;
  /**
   * Probability that this variant has the highest true conversion rate (Beta-binomial), among the variants with enough
   * data; null for a variant below the sample threshold (fewer than 100 enrollments or 10 conversions): counts only.
   */
  probabilityBest: number | null;
}

/** A split's result. */
export interface SplitStats {
  splitId: string;
  variants: VariantStats[];
  /**
   * Two-sided p-value that the variants with enough data convert alike (two-proportion z-test; chi-square for 3+); null
   * when fewer than two variants reach the sample threshold, or it is undefined.
   */
  pValue: number | null;
  note?: string;
}

/** One side of a holdout comparison. */
export interface GroupStats {
  n: number;
  converted: number;
  rate: number;
}

/** A touch's holdout result: enrollments that reached it against those held out of it. */
export interface HoldoutStats {
  touchId: string;
  /** The holdout share the plan sets, when the current plan has one. */
  share?: number;
  reached: GroupStats;
  heldOut: GroupStats;
  /** reached.rate − heldOut.rate; null when a group is empty. */
  lift: number | null;
  /** 95% interval of the lift (Newcombe hybrid score); null when a group is empty. */
  ci95: [number, number] | null;
  note?: string;
}

/** A funnel's experiments over a period. */
export interface ExperimentStats {
  funnelId: string;
  from: string | null;
  to: string | null;
  splits: SplitStats[];
  holdouts: HoldoutStats[];
}

type Num = number | bigint | null;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const rate = (p: Proportion) => (p.n > 0 ? round(p.converted / p.n) : 0);

/**
 * Split and holdout results over a period, as cohorts: variants count enrollments assigned in [from, to) and their
 * conversions after the assignment (whenever they happen); holdouts count deliveries scheduled in [from, to) that
 * reached the customer or were held out, and the enrollment's conversion after the touch was due. Whole days and
 * hours come from the rollups, the ragged ends from the raw tables (`source: 'raw'` reads everything raw).
 */
export async function experiments(
  db: Db, plan: Plan, opts: { from?: number | undefined; to?: number | undefined }, source: 'rollups' | 'raw' = 'rollups',
): Promise<ExperimentStats> {
  const from = opts.from ?? 0;
  const to = opts.to ?? FAR_FUTURE;
  const pieces: PeriodPiece[] = source === 'raw' ? [{ grain: 'raw', span: [from, to] }] : periodPieces(from, to);
  const arms = new Map<string, Map<string, Proportion>>();
  const groups = new Map<string, { reached: Proportion; heldOut: Proportion }>();
  const addArm = (row: { split_id: string; variant_id: string; assigned: Num; converted: Num }) => {
    const split = arms.get(row.split_id) ?? new Map<string, Proportion>();
    arms.set(row.split_id, split);
    const arm = split.get(row.variant_id) ?? { n: 0, converted: 0 };
    split.set(row.variant_id, { n: arm.n + Number(row.assigned ?? 0), converted: arm.converted + Number(row.converted ?? 0) });
  };
  const addGroups = (row: { touch_id: string; reached: Num; reached_converted: Num; held_out: Num; held_out_converted: Num }) => {
    const g = groups.get(row.touch_id) ?? { reached: { n: 0, converted: 0 }, heldOut: { n: 0, converted: 0 } };
    g.reached = { n: g.reached.n + Number(row.reached ?? 0), converted: g.reached.converted + Number(row.reached_converted ?? 0) };
    g.heldOut = { n: g.heldOut.n + Number(row.held_out ?? 0), converted: g.heldOut.converted + Number(row.held_out_converted ?? 0) };
    groups.set(row.touch_id, g);
  };

  const dialect = dialectOf(db);
  const c = deliveryCountersSql('d', dialect);
  for (const piece of pieces) {
    const [a, b] = piece.span;
    if (piece.grain !== 'raw') {
      const t = sql.ref(piece.grain);
      (await sql<{ split_id: string; variant_id: string; assigned: number; converted: number }>`
        SELECT split_id, variant_id, sum(assigned) AS assigned, sum(converted) AS converted FROM ${sql.table(rollupTable('split', piece.grain))}
        WHERE funnel_id = ${plan.id} AND ${t} >= ${a} AND ${t} < ${b} GROUP BY split_id, variant_id`.execute(db)).rows.forEach(addArm);
      (await sql<{ touch_id: string; reached: number; reached_converted: number; held_out: number; held_out_converted: number }>`
        SELECT touch_id, sum(sent) + sum(outbox) AS reached, sum(reached_converted) AS reached_converted,
          sum(held_out) AS held_out, sum(held_out_converted) AS held_out_converted FROM ${sql.table(rollupTable('touch', piece.grain))}
        WHERE funnel_id = ${plan.id} AND ${t} >= ${a} AND ${t} < ${b} GROUP BY touch_id`.execute(db)).rows.forEach(addGroups);
      continue;
    }
    (await sql<{ split_id: string; variant_id: string; assigned: number; converted: number }>`
      SELECT a.split_id, a.variant_id, count(*) AS assigned, sum(${sql.raw(flagSql(convertedAfterSql('a', 'at'), dialect))}) AS converted
      FROM split_assignments a WHERE a.funnel_id = ${plan.id} AND a.at >= ${a} AND a.at < ${b} GROUP BY 1, 2`.execute(db)).rows.forEach(addArm);
    (await sql<{ touch_id: string; reached: number; reached_converted: number; held_out: number; held_out_converted: number }>`
      SELECT d.touch_id, sum(${sql.raw(c.sent!)}) + sum(${sql.raw(c.outbox!)}) AS reached, sum(${sql.raw(c.reached_converted!)}) AS reached_converted,
        sum(${sql.raw(c.held_out!)}) AS held_out, sum(${sql.raw(c.held_out_converted!)}) AS held_out_converted
      FROM deliveries d WHERE d.funnel_id = ${plan.id} AND d.scheduled_at >= ${a} AND d.scheduled_at < ${b} GROUP BY 1`.execute(db)).rows.forEach(addGroups);
  }

  return {
    funnelId: plan.id,
    from: opts.from === undefined ? null : new Date(opts.from).toISOString(), to: opts.to === undefined ? null : new Date(opts.to).toISOString(),
    splits: splitResults(plan, arms), holdouts: holdoutResults(plan, groups),
  };
}

function splitResults(plan: Plan, arms: Map<string, Map<string, Proportion>>): SplitStats[] {
  const planned = new Map<string, string[]>();
  for (const step of walkSteps(plan.steps)) if (step.type === 'split') planned.set(step.id, step.variants.map((v) => v.id));
  const ids = [...planned.keys(), ...[...arms.keys()].filter((id) => !planned.has(id) && [...arms.get(id)!.values()].some((a) => a.n !== 0)).sort()];
  return ids.map((splitId): SplitStats => {
    const data = arms.get(splitId) ?? new Map<string, Proportion>();
    const variantIds = [...(planned.get(splitId) ?? [])];
    variantIds.push(...[...data.keys()].filter((v) => !variantIds.includes(v) && data.get(v)!.n !== 0).sort());
    const props = variantIds.map((v) => data.get(v) ?? { n: 0, converted: 0 });
    // Only variants with enough data are compared: a probability for an empty arm would be a guess dressed as a figure.
    const compared = props.flatMap((p, i) => (isComparable(p) ? [i] : []));
    const best = compared.length >= 2 ? probabilityBest(compared.map((i) => props[i]!), seedOf(`${plan.id}/${splitId}`)) : [];
    const note = smallSampleNote(props);
    const p = compared.length >= 2 ? homogeneityPValue(compared.map((i) => props[i]!)) : null;
    return {
      splitId,
      variants: variantIds.map((variantId, i) => {
        const at = compared.indexOf(i);
        return {
          variantId, enrolled: props[i]!.n, converted: props[i]!.converted, rate: rate(props[i]!),
          probabilityBest: at >= 0 && best[at] !== undefined ? round(best[at]!) : null,
        };
      }),
      pValue: p === null ? null : round(p, 6),
      ...(note !== undefined && { note }),
    };
  });
}

function holdoutResults(plan: Plan, groups: Map<string, { reached: Proportion; heldOut: Proportion }>): HoldoutStats[] {
  const shares = new Map(touchesOf(plan.steps).filter((t) => t.holdout !== undefined).map((t) => [t.id, t.holdout!]));
  const ids = [...shares.keys(), ...[...groups.entries()].filter(([id, g]) => !shares.has(id) && g.heldOut.n !== 0).map(([id]) => id).sort()];
  return ids.map((touchId): HoldoutStats => {
    const g = groups.get(touchId) ?? { reached: { n: 0, converted: 0 }, heldOut: { n: 0, converted: 0 } };
    const ci = differenceInterval(g.reached, g.heldOut);
    const share = shares.get(touchId);
    const note = g.reached.n === 0 || g.heldOut.n === 0 ? 'no comparison yet: one of the groups is empty' : smallSampleNote([g.reached, g.heldOut]);
    return {
      touchId, ...(share !== undefined && { share }),
      reached: { ...g.reached, rate: rate(g.reached) }, heldOut: { ...g.heldOut, rate: rate(g.heldOut) },
      lift: ci ? round(g.reached.converted / g.reached.n - g.heldOut.converted / g.heldOut.n) : null,
      ci95: ci ? [round(ci[0]), round(ci[1])] : null,
      ...(note !== undefined && { note }),
    };
  });
}
