import { z } from 'zod';

/** The currency money is counted in when an event or a spend row names none. */
export const DEFAULT_CURRENCY = 'RUB';

/** An ISO 4217 code, upper case (RUB, USD, KZT). */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as RUB');

/**
 * A decimal amount in major units (rubles) as minor units (kopecks), exactly: 19.99 → 1999 even though
 * 19.99 × 100 is 1998.9999… as a double. Sums are then taken over integers, so they never drift.
 */
export function toMinor(amount: number): number {
  return Math.round(Number((amount * 100).toPrecision(15)));
}

/** Minor units as major units for an answer (1999 → 19.99); the nearest double of the exact decimal. */
export function toMajor(minor: number): number {
  return Math.round(minor) / 100;
}

/** The currency an event's properties name (`currency: 'usd'` is USD), else the default. */
export function currencyOf(properties: Record<string, unknown>): string {
  const c = properties.currency;
  if (typeof c === 'string' && /^[a-z]{3}$/i.test(c)) return c.toUpperCase();
  return DEFAULT_CURRENCY;
}

/** Sums per currency: currency → minor units. */
export type MoneyByCurrency = Record<string, number>;

/** The currency holding the most money in `sums` (the default on a tie or when empty). */
export function mainCurrency(sums: MoneyByCurrency): string {
  let best = DEFAULT_CURRENCY;
  for (const [currency, minor] of Object.entries(sums)) if (minor > (sums[best] ?? 0)) best = currency;
  return best;
}

/** A decimal text in major units (`0.05`, up to 4 decimals) as minor units, exactly (5; `0.0025` → 0.25). */
export function decimalToMinor(text: string): number {
  const [whole = '0', fraction = ''] = text.trim().split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(4, '0').slice(0, 4)) / 100;
}
