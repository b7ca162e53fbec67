/** FNV-1a 32-bit: a stable, dependency-free hash for deterministic per-contact choices inside workflows. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Picks a variant by weight, the same one every time for the same key. */
export function pickWeighted<T extends { weight: number }>(key: string, variants: T[]): T {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let point = (fnv1a(key) / 0x1_0000_0000) * total;
  for (const v of variants) {
    if (point < v.weight) return v;
    point -= v.weight;
  }
  return variants[variants.length - 1]!;
}
