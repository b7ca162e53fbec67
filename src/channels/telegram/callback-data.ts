/** Telegram's limit on an inline button's callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

const STANDARD_DELIVERY = /^dl_([0-9a-f]{32})$/;
const BUTTON_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The callback_data of a button, at most 64 bytes: a standard delivery id (`dl_` + 32 hex) is packed into 22
 * base64url characters (`d<22>:<buttonId>`, leaving 40 characters for the button id); any other delivery id is
 * carried as is (`r<deliveryId>:<buttonId>`). Throws when the result would not fit — a plan error, not a send error.
 */
export function callbackData(deliveryId: string, buttonId: string): string {
  if (!BUTTON_ID.test(buttonId)) throw new Error(`callbackData: button id ${JSON.stringify(buttonId)} must be letters, digits, "-" and "_"`);
  const standard = STANDARD_DELIVERY.exec(deliveryId);
  const data = standard
    ? `d${Buffer.from(standard[1]!, 'hex').toString('base64url')}:${buttonId}`
    : `r${deliveryId}:${buttonId}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) {
    throw new Error(`callbackData: button id ${JSON.stringify(buttonId)} is too long for Telegram's 64-byte callback data (keep it under ${CALLBACK_DATA_MAX_BYTES - 24} characters)`);
  }
  return data;
}

/** The delivery and button a callback_data names; null for anything this bot did not produce. */
export function parseCallbackData(data: string | undefined | null): { deliveryId: string; buttonId: string } | null {
  if (!data || Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) return null;
  const colon = data.lastIndexOf(':');
  if (colon < 2) return null;
  const head = data.slice(1, colon);
  const buttonId = data.slice(colon + 1);
  if (!BUTTON_ID.test(buttonId)) return null;
  if (data[0] === 'd') {
    if (!/^[A-Za-z0-9_-]{22}$/.test(head)) return null;
    const bytes = Buffer.from(head, 'base64url');
    // Only the canonical encoding is ours (22 characters carry 4 spare bits).
    if (bytes.length !== 16 || bytes.toString('base64url') !== head) return null;
    return { deliveryId: `dl_${bytes.toString('hex')}`, buttonId };
  }
  if (data[0] === 'r') return { deliveryId: head, buttonId };
  return null;
}
