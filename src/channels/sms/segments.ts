/**
 * SMS length in parts (3GPP TS 23.038 / 23.040). A text that fits the GSM 7-bit default alphabet goes as GSM-7:
 * 160 septets in one SMS, 153 per part once it is split (the user-data header takes the rest); the extension
 * table characters (`^ { } \ [ ] ~ | €` and form feed) are sent as ESC + char and cost two septets. Anything else
 * (Cyrillic, emoji, typographic quotes) forces UCS-2 for the whole text: 70 UTF-16 code units in one SMS, 67 per
 * part. Like real encoders, an escape sequence or a surrogate pair (emoji) is never cut between two parts.
 */

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** Which alphabet a text goes out in. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** How long an SMS is and what it costs in parts. */
export interface SmsLength {
  encoding: SmsEncoding;
  /** Parts billed (0 for an empty text). */
  segments: number;
  /** Length as the limits count it: GSM-7 septets (an extension character counts 2) or UCS-2 UTF-16 code units (an emoji counts 2). */
  characters: number;
}

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Whether every character of `text` is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return false;
  return true;
}

/** The encoding, length and number of billed parts of `text`, as an SMS centre would split it. */
export function smsSegments(text: string): SmsLength {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  // Cost of each indivisible unit: a code point (1 or 2 septets / 1 or 2 UTF-16 units).
  const units: number[] = [];
  for (const ch of text) units.push(encoding === 'GSM-7' ? (GSM7_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  const characters = units.reduce((a, b) => a + b, 0);
  const { single, part } = LIMITS[encoding];
  if (characters === 0) return { encoding, segments: 0, characters };
  if (characters <= single) return { encoding, segments: 1, characters };
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments += 1;
      used = 0;
    }
    used += u;
  }
  return { encoding, segments, characters };
}
