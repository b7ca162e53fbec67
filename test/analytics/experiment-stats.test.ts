import { describe, expect, it } from 'vitest';
import { differenceInterval, homogeneityPValue, probabilityBest, smallSampleNote, wilsonInterval } from '../../src/analytics/experiment-stats';
import { lnGamma, regularizedGammaQ, sampleBeta, seededRandom } from '../../src/analytics/probability';

/** P(B > A) for Beta posteriors by plain numerical integration (Simpson), as an independent check. */
function integrate(a: [number, number], b: [number, number]): number {
  const pdf = ([x, y]: [number, number], t: number) => Math.exp((x - 1) * Math.log(t) + (y - 1) * Math.log(1 - t) - (lnGamma(x) + lnGamma(y) - lnGamma(x + y)));
  const n = 4000;
  let cdfA = 0;
  let total = 0;
  for (let i = 0; i < n; i++) { // midpoint rule on both, fine enough for 4 decimals
    const t0 = i / n;
    const t1 = (i + 1) / n;
    const mid = (t0 + t1) / 2;
    const stepA = (pdf(a, Math.max(t0, 1e-12)) + 4 * pdf(a, mid) + pdf(a, Math.min(t1, 1 - 1e-12))) / (6 * n);
    total += pdf(b, mid) * (cdfA + stepA / 2) / n;
    cdfA += stepA;
  }
  return total;
}

describe('analytics/experiment-stats', () => {
  it('computes the two-proportion z-test p-value (200/1000 vs 250/1000 → 0.00742)', () => {
    expect(homogeneityPValue([{ n: 1000, converted: 200 }, { n: 1000, converted: 250 }])).toBeCloseTo(0.0074196, 6);
    expect(homogeneityPValue([{ n: 100, converted: 10 }, { n: 100, converted: 12 }])).toBeCloseTo(0.6512801, 6);
    expect(homogeneityPValue([{ n: 500, converted: 50 }, { n: 500, converted: 80 }])).toBeCloseTo(0.0047887, 6);
  });

  it('uses the chi-square test for three or more arms, and answers null when the test is undefined', () => {
    // df = 2: the survival function is exp(-x/2); x = 11.7151 for these arms
    expect(homogeneityPValue([{ n: 1000, converted: 100 }, { n: 1000, converted: 120 }, { n: 1000, converted: 150 }])).toBeCloseTo(0.0028582, 6);
    expect(homogeneityPValue([{ n: 100, converted: 0 }, { n: 100, converted: 0 }])).toBeNull();
    expect(homogeneityPValue([{ n: 100, converted: 5 }, { n: 0, converted: 0 }])).toBeNull();
  });

  it('computes the regularised gamma function on known values', () => {
    expect(regularizedGammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 14);
    expect(regularizedGammaQ(3, 10)).toBeCloseTo(Math.exp(-10) * (1 + 10 + 50), 14);
    expect(regularizedGammaQ(0.5, 0.5)).toBeCloseTo(0.3173105078629141, 12); // erfc(sqrt(0.5)): P(|Z| > 1)
  });

  it('gives the exact probability that a variant is best for two variants', () => {
    // Beta(1,1) vs Beta(2,1): P(B > A) = ∫ 2x · x dx = 2/3
    expect(probabilityBest([{ n: 0, converted: 0 }, { n: 1, converted: 1 }])).toEqual([expect.closeTo(1 / 3, 12), expect.closeTo(2 / 3, 12)]);
    const [a, b] = probabilityBest([{ n: 100, converted: 10 }, { n: 100, converted: 20 }]) as [number, number];
    expect(b).toBeCloseTo(integrate([11, 91], [21, 81]), 4);
    expect(a + b).toBeCloseTo(1, 12);
    // symmetric data: a coin toss; large samples stay finite and exact
    expect(probabilityBest([{ n: 5000, converted: 300 }, { n: 5000, converted: 300 }])[0]).toBeCloseTo(0.5, 9);
    const big = probabilityBest([{ n: 500_000, converted: 25_000 }, { n: 500_000, converted: 25_400 }]);
    expect(big[1]).toBeGreaterThan(0.95);
    expect(big[1]).toBeLessThan(1);
  });

  it('estimates three or more variants by a seeded Monte Carlo that agrees with the exact answer and repeats itself', () => {
    const arms = [{ n: 100, converted: 10 }, { n: 100, converted: 20 }, { n: 100, converted: 15 }];
    const once = probabilityBest(arms, 42);
    expect(probabilityBest(arms, 42)).toEqual(once);
    expect(once.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(once[1]).toBeGreaterThan(once[2]!);
    expect(once[2]).toBeGreaterThan(once[0]!);
    const equal = probabilityBest([{ n: 1000, converted: 100 }, { n: 1000, converted: 100 }, { n: 1000, converted: 100 }], 7);
    for (const p of equal) expect(p).toBeCloseTo(1 / 3, 1);
    // a dominated third arm barely matters: the two leaders split as the exact form says
    const exact = probabilityBest([{ n: 100, converted: 10 }, { n: 100, converted: 20 }]);
    const mc = probabilityBest([{ n: 100, converted: 10 }, { n: 100, converted: 20 }, { n: 100, converted: 0 }], 3);
    expect(mc[1]).toBeCloseTo(exact[1]!, 2);
  });

  it('samples Beta draws with the right mean', () => {
    const rand = seededRandom(9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleBeta(rand, 3, 7);
    expect(sum / 20_000).toBeCloseTo(0.3, 2);
  });

  it('computes Wilson intervals and Newcombe\'s interval of a difference (his worked examples)', () => {
    const [lo, hi] = wilsonInterval({ n: 70, converted: 56 });
    expect(lo).toBeCloseTo(0.6918, 4);
    expect(hi).toBeCloseTo(0.8770, 4);
    expect(differenceInterval({ n: 70, converted: 56 }, { n: 80, converted: 48 })!.map((x) => +x.toFixed(4))).toEqual([0.0524, 0.3339]);
    expect(differenceInterval({ n: 10, converted: 9 }, { n: 10, converted: 3 })!.map((x) => +x.toFixed(4))).toEqual([0.1705, 0.809]);
    expect(differenceInterval({ n: 10, converted: 0 }, { n: 10, converted: 0 })!.map((x) => +x.toFixed(4))).toEqual([-0.2775, 0.2775]);
    expect(differenceInterval({ n: 56, converted: 5 }, { n: 29, converted: 0 })!.map((x) => +x.toFixed(4))).toEqual([-0.0381, 0.1926]);
    expect(differenceInterval({ n: 0, converted: 0 }, { n: 10, converted: 1 })).toBeNull();
  });

  it('notes when a group is too small to conclude from', () => {
    expect(smallSampleNote([{ n: 99, converted: 50 }, { n: 500, converted: 50 }])).toMatch(/too small.*99 enrollments/);
    expect(smallSampleNote([{ n: 500, converted: 9 }, { n: 500, converted: 50 }])).toMatch(/9 conversions/);
    expect(smallSampleNote([{ n: 100, converted: 10 }, { n: 500, converted: 50 }])).toBeUndefined();
  });
});
