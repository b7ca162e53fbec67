import { timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` (a header, query or body value of a request) is exactly the secret `expected`, compared in
 * constant time; false for anything that is not a non-empty string. The one check every webhook and token uses.
 */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
