import type { Utm } from '../dsl/plan';

const KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/**
 * `url` with the UTM parameters added to its query: existing parameters (a `utm_*` the author put on the link
 * included) are kept as they are, the fragment stays last, and the rest of the URL is not re-encoded.
 */
export function withUtm(url: string, utm: Utm | false | undefined): string {
  if (!utm) return url;
  let existing: URLSearchParams;
  try {
    existing = new URL(url).searchParams;
  } catch {
    return url;
  }
  const add = KEYS.filter((k) => utm[k] !== undefined && !existing.has(`utm_${k}`))
    .map((k) => `utm_${k}=${encodeURIComponent(utm[k]!)}`);
  if (add.length === 0) return url;
  const hash = url.indexOf('#');
  const head = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const sep = !head.includes('?') ? '?' : /[?&]$/.test(head) ? '' : '&';
  return `${head}${sep}${add.join('&')}${fragment}`;
}
