/*
 * Personal data in free text (log lines, provider error messages, URLs): e-mail addresses and phone numbers are
 * masked, keeping just enough to tell two of them apart when debugging (first letter and domain; last two digits).
 */

// Unicode letters too: кириллица@школа.рф is an everyday address for our users.
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// E.164 (`+79161234567`) and numbers as people type them (`8 (916) 123-45-67`, `+7 916 123 45 67`): 10–15 digits
// with a leading + or with separators. Bare digit runs are left alone: they are ids, timestamps and counts.
const PHONE = /(?<![\w+])(?:\+\d{7,15}|(?:\+|\b)\d{1,3}[ (.-]{1,2}\d{2,4}[ ).-]{1,2}\d{2,4}(?:[ .-]?\d{2,4}){1,3})(?![\w])/g;

/** `anna.petrova@example.ru` → `a***@example.ru`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${[...email.slice(0, at)][0]}***${email.slice(at)}`;
}

/** `+79161234567` → `+7*********67`: the first digit after a + and the last two stay. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return '***';
  const plus = phone.trim().startsWith('+');
  const head = plus ? `+${digits[0]}` : '';
  return `${head}${'*'.repeat(digits.length - (plus ? 1 : 0) - 2)}${digits.slice(-2)}`;
}

/** The text with every e-mail address and phone number in it masked. */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(PHONE, (m) => ((m.match(/\d/g)?.length ?? 0) >= 10 ? maskPhone(m) : m));
}

/** Field names whose whole value is personal (an address, a chat id, a name): masked whatever it looks like. */
const PERSONAL_KEY = /^(?:email|phone|recipient|address|chat|chat_?id|telegram_?chat_?id|vk_?user(?:_?id)?|ip|user_?agent)$/i;

/** True when a log field of this name carries personal data as its whole value. */
export function isPersonalKey(key: string): boolean {
  return PERSONAL_KEY.test(key);
}

/** A personal field's value as logged: e-mail addresses and phone numbers keep their masked shape, anything else is `***`. */
export function maskPersonalValue(key: string, value: string): string {
  if (value.includes('@')) return maskEmail(value);
  if (/phone/i.test(key) && /^\+?[\d\s().-]{7,}$/.test(value)) return maskPhone(value);
  return '***';
}
