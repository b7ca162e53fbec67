/** Durations in funnels: `'90s'`, `'15m'`, `'2h'`, `'3d'`, `'1w'`, combinations like `'1d12h'`, or milliseconds. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** A duration as written in a funnel file. */
export type DurationInput = string | number;

/** Parses a duration into milliseconds; returns undefined for anything that is not a positive duration. */
export function parseDuration(input: DurationInput): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? Math.round(input) : undefined;
  const text = input.trim().toLowerCase();
  if (!text) return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(PART)) {
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed += match[0].length;
  }
  return consumed === text.length && total > 0 ? Math.round(total) : undefined;
}

/** Formats milliseconds compactly (`'1d12h'`), for messages and drawings. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join('');
}
