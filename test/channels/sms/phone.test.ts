import { describe, expect, it } from 'vitest';
import { Phone, normalizePhone } from '../../../src/contacts/phone';

describe('normalizePhone', () => {
  it.each([
    ['8 (916) 123-45-67', '+79161234567'],
    ['+7 916 123 45 67', '+79161234567'],
    ['+7(916)1234567', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['  +7 916 123-45-67  ', '+79161234567'],
    ['8 (495) 123-45-67', '+74951234567'],
    ['8 800 555-35-35', '+78005553535'],
    ['+375 29 123-45-67', '+375291234567'],
    ['+380 67 123 4567', '+380671234567'],
    ['+1 415 555 2671', '+14155552671'],
    ['0044 7911 123456', '+447911123456'],
    ['00 49 1512 3456789', '+4915123456789'],
  ])('reads %j as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each([
    '', '   ', 'abc', '123', '+7 916 123 45 6', '+79161234567890', '+7 123 456 78 90', '8 (916) 123-45', '+0 123 456 789', '9'.repeat(80),
  ])('refuses %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('reads numbers without a country code in the given country', () => {
    expect(normalizePhone('029 123-45-67', 'BY')).toBe('+375291234567');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('(415) 555-2671')).toBe('+74155552671'); // 415 is also a Russian area code (Kamchatka)
  });
});

describe('Phone schema', () => {
  it('parses what people type into E.164', () => {
    expect(Phone.parse('8 (916) 123-45-67')).toBe('+79161234567');
  });

  it('fails with a clear message for an invalid number', () => {
    const r = Phone.safeParse('8 (916) 123');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'custom', message: expect.stringContaining('invalid phone number') });
  });

  it('reports a non-string as a type error (400 in the API, not 422)', () => {
    expect(Phone.safeParse(79161234567).error?.issues[0]?.code).toBe('invalid_type');
  });
});
