import { chiSquareSurvival, lnBeta, sampleBeta, seededRandom } from './probability';

/** Conversions out of a number of trials. */
export interface Proportion {
  n: number;
  converted: number;
}

/** Arms with fewer enrollments than this, or fewer conversions than MIN_CONVERSIONS, make a result a guess. */
export const MIN_PER_ARM = 100;
/** See MIN_PER_ARM. */
export const MIN_CONVERSIONS = 10;

/** Draws of the Monte Carlo estimate for three or more arms (standard error ≤ 0.0036). */
export const MONTE_CARLO_DRAWS = 20_000;

/** P(p_b > p_a) for independent Beta(aA, bA) and Beta(aB, bB) with integer aB (Evan Miller's closed form). */
function probabilityBeats(aA: number, bA: number, aB: number, bB: number): number {
  let total = 0;
  const base = lnBeta(aA, bA);
  for (let i = 0; i < aB; i++) total += Math.exp(lnBeta(aA + i, bA + bB) - Math.log(bB + i) - lnBeta(1 + i, bB) - base);
  return Math.min(1, Math.max(0, total));
}

/**
 * For each arm, the probability that its true conversion rate is the highest, under independent uniform priors
 * (posterior Beta(1 + converted, 1 + n − converted)). Two arms: exact closed form. More: Monte Carlo with a PRNG
 * seeded by `seed`, so the same data always gives the same answer. The probabilities sum to 1.
 */
export function probabilityBest(arms: readonly Proportion[], seed = 1, draws = MONTE_CARLO_DRAWS): number[] {
  const params = arms.map((a) => [1 + a.converted, 1 + a.n - a.converted] as const);
  if (arms.length === 0) return [];
  if (arms.length === 1) return [1];
  if (arms.length === 2) {
    const [[aA, bA], [aB, bB]] = params as [readonly [number, number], readonly [number, number]];
    // Sum over the smaller shape: P(B > A) = 1 − P(A > B) for continuous posteriors.
    const pB = aB <= aA ? probabilityBeats(aA, bA, aB, bB) : 1 - probabilityBeats(aB, bB, aA, bA);
    return [1 - pB, pB];
  }
  const rand = seededRandom(seed);
  const wins = new Array<number>(arms.length).fill(0);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = -1;
    params.forEach(([a, b], i) => {
      const v = sampleBeta(rand, a, b);
      if (v > bestValue) { bestValue = v; best = i; }
    });
    wins[best]! += 1;
  }
  return wins.map((w) => w / draws);
}

/**
 * The two-sided p-value that all arms convert at the same rate: the pooled two-proportion z-test for two arms, the
 * chi-square test of homogeneity (k − 1 degrees of freedom, equal to the z-test for two) for more. Null when it is
 * undefined: fewer than two arms with enrollments, or no conversions (or nothing but conversions) at all.
 */
export function homogeneityPValue(arms: readonly Proportion[]): number | null {
  const used = arms.filter((a) => a.n > 0);
  if (used.length < 2) return null;
  const n = used.reduce((s, a) => s + a.n, 0);
  const pooled = used.reduce((s, a) => s + a.converted, 0) / n;
  if (pooled <= 0 || pooled >= 1) return null;
  const chi2 = used.reduce((s, a) => s + (a.converted - a.n * pooled) ** 2 / (a.n * pooled * (1 - pooled)), 0);
  return chiSquareSurvival(chi2, used.length - 1);
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** The Wilson score interval of a proportion (95% by default); [0, 1] when n = 0. */
export function wilsonInterval({ n, converted }: Proportion, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = converted / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The 95% interval of the difference of two proportions a − b by Newcombe's hybrid score method (his method 10,
 * built from the two Wilson intervals): unlike the Wald interval it stays inside [−1, 1] and keeps its coverage
 * for small samples and rates near 0 or 1. Null when either side has no trials.
 */
export function differenceInterval(a: Proportion, b: Proportion, z = Z95): [number, number] | null {
  if (a.n === 0 || b.n === 0) return null;
  const p1 = a.converted / a.n;
  const p2 = b.converted / b.n;
  const [l1, u1] = wilsonInterval(a, z);
  const [l2, u2] = wilsonInterval(b, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** Whether a group is big enough to compare: at least MIN_PER_ARM enrollments and MIN_CONVERSIONS conversions. */
export function isComparable(group: Proportion): boolean {
  return group.n >= MIN_PER_ARM && group.converted >= MIN_CONVERSIONS;
}

/** A warning when any group is too small to conclude from, else undefined. */
export function smallSampleNote(groups: readonly Proportion[]): string | undefined {
  const fewest = Math.min(...groups.map((g) => g.n));
  const fewestConversions = Math.min(...groups.map((g) => g.converted));
  if (groups.length === 0 || (fewest >= MIN_PER_ARM && fewestConversions >= MIN_CONVERSIONS)) return undefined;
  return `sample too small to conclude: every group needs at least ${MIN_PER_ARM} enrollments and ${MIN_CONVERSIONS} conversions `
    + `(smallest: ${fewest} enrollments, ${fewestConversions} conversions)`;
}
