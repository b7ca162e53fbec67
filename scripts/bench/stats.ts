import { performance } from 'node:perf_hooks';

/** The median of a list (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The q-quantile (0..1) by the nearest-rank method. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Runs the variants interleaved (a, b, a, b, …) `reps` times and returns each one's values in run order, so a noisy
 * neighbour on the shared machine hits both sides alike.
 */
export async function interleaved<K extends string>(reps: number, variants: Record<K, () => Promise<number>>): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let r = 0; r < reps; r++) {
    for (const k of Object.keys(variants) as K[]) out[k].push(await variants[k]());
  }
  return out;
}

/** p50, p95 and the slowest of a list of timings (nearest rank). */
export function timings(ms: number[]): { p50: number; p95: number; max: number } {
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), max: Math.max(...ms) };
}

/** Runs `f` once to warm up (its answer is what callers compare), then `runs` times timed: the timings and the last answer. */
export async function timed<T>(runs: number, f: () => Promise<T> | T): Promise<{ p50: number; p95: number; max: number; result: T }> {
  let result = await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await f();
    ms.push(performance.now() - t);
  }
  return { ...timings(ms), result };
}

/** Sleeps. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
