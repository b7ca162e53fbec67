import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const MAX_INPUT = 64;

/**
 * The number in E.164 (`+79161234567`), or null when it is not a valid phone number. Accepts what people type:
 * `8 (916) 123-45-67`, `+7 916 123 45 67`, `+375 29 123-45-67`, `00 44 …`; numbers without a country code are read
 * in `defaultCountry` (Russia unless told otherwise). Validity is checked against the country's numbering plan.
 */
export function normalizePhone(input: string, defaultCountry = 'RU'): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.length > MAX_INPUT) return null;
  // "00" is the international prefix almost everywhere outside Russia (where it is "810"); read it as "+".
  const text = trimmed.replace(/^00(?=[1-9])/, '+').replace(/^00\s+/, '+');
  const parsed = parsePhoneNumberFromString(text, defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** A phone number as people type it, read as Russian when it has no country code; parses to E.164 or fails with a clear message. */
export const Phone = z.string().max(MAX_INPUT, 'phone is too long').transform((value, ctx) => {
  const e164 = normalizePhone(value);
  if (e164 === null) {
    ctx.addIssue({ code: 'custom', message: 'invalid phone number: use the international format, e.g. +79161234567 (8 (916) 123-45-67 is read as Russian)' });
    return z.NEVER;
  }
  return e164;
}).describe('a phone number; stored in E.164 (+79161234567); a number without a country code is read as Russian');
export type Phone = z.infer<typeof Phone>;
