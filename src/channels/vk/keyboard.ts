import { createHash } from 'node:crypto';
import type { TelegramButton } from '../channel';
import { parseCallbackData } from '../telegram/callback-data';

/** Longest `payload` VK keeps on a button, in characters. */
export const VK_PAYLOAD_MAX = 255;

/**
 * VK's inline keyboard JSON for rows of buttons: a URL button is `open_link`, any other a `text` button whose
 * `payload` is `{"af":"<callback data>"}` — pressing it writes the label as a message carrying that payload, which
 * the Callback API turns into `<touchId>.clicked`. Throws for a button with neither (a plan error).
 */
export function vkKeyboard(rows: TelegramButton[][]): string {
  const buttons = rows.map((row) => row.map((b) => {
    if (b.url) return { action: { type: 'open_link', link: b.url, label: b.text } };
    if (b.callbackData) return { action: { type: 'text', label: b.text, payload: JSON.stringify({ af: b.callbackData }) } };
    throw new Error(`button ${JSON.stringify(b.text)} has neither url nor callbackData`);
  }));
  return JSON.stringify({ inline: true, buttons });
}

/** The delivery and button a pressed button's payload names; null for payloads this engine did not put there. */
export function parseVkPayload(payload: string | undefined | null): { deliveryId: string; buttonId: string } | null {
  if (!payload || payload.length > VK_PAYLOAD_MAX) return null;
  try {
    const parsed = JSON.parse(payload) as { af?: unknown };
    return typeof parsed?.af === 'string' ? parseCallbackData(parsed.af) : null;
  } catch {
    return null;
  }
}

/**
 * The `random_id` of a delivery's message: a positive 31-bit number derived from the delivery id, so a retried send
 * of the same delivery carries the same id and VK does not deliver it twice.
 */
export function randomIdFor(deliveryId: string): number {
  return createHash('sha256').update(deliveryId).digest().readUInt32BE(0) & 0x7fffffff;
}
