/** Levenshtein distance between two strings (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The candidate most like `name`, if one is close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * The id most like `name`: a plausible typo (see `closest`), else one that starts the same way (`thanks` → `thank-you`,
 * at least four letters and half of the shorter name in common), else undefined.
 */
export function nearestId(name: string, ids: Iterable<string>): string | undefined {
  const list = [...ids];
  const typo = closest(name, list);
  if (typo) return typo;
  const bare = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const a = bare(name);
  let best: string | undefined;
  let bestLength = 0;
  for (const id of list) {
    const b = bare(id);
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    if (n >= 4 && n * 2 >= Math.min(a.length, b.length) && n > bestLength) [best, bestLength] = [id, n];
  }
  return best;
}
