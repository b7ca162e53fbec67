import { describe, expect, it } from 'vitest';
import { callbackData, parseCallbackData } from '../../../src/channels/telegram/callback-data';
import { startPayload, telegramStartLink, verifyStartPayload } from '../../../src/channels/telegram/start-link';
import { webhookSecretFor } from '../../../src/http/webhooks/telegram';
import { newId } from '../../../src/db/ids';

const KEY = 'secret-key-for-tests';

describe('callback data', () => {
  it('round-trips a delivery id and a button id within 64 bytes', () => {
    const deliveryId = newId('dl');
    const buttonId = 'a'.repeat(40);
    const data = callbackData(deliveryId, buttonId);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(parseCallbackData(data)).toEqual({ deliveryId, buttonId });
    expect(parseCallbackData(callbackData(deliveryId, 'yes'))).toEqual({ deliveryId, buttonId: 'yes' });
  });

  it('carries other delivery ids as they are', () => {
    expect(parseCallbackData(callbackData('dl_hello_en1', 'no-thanks'))).toEqual({ deliveryId: 'dl_hello_en1', buttonId: 'no-thanks' });
  });

  it('refuses button ids that would not fit or are not ids', () => {
    expect(() => callbackData(newId('dl'), 'a'.repeat(41))).toThrow(/too long/);
    expect(() => callbackData(newId('dl'), 'да')).toThrow(/letters, digits/);
  });

  it('answers null for data it did not produce', () => {
    for (const bad of ['', 'x', 'hello', 'dABC:yes', 'd' + 'A'.repeat(22) + ':', 'zfoo:bar', 'x'.repeat(65), null, undefined]) {
      expect(parseCallbackData(bad)).toBeNull();
    }
  });
});

describe('telegram deep link', () => {
  it('makes a t.me link whose payload verifies back to the contact', () => {
    const contactId = newId('ct');
    const link = telegramStartLink('@school_bot', KEY, contactId);
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://t.me/school_bot');
    const payload = url.searchParams.get('start')!;
    expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(verifyStartPayload(KEY, payload)).toBe(contactId);
  });

  it('round-trips non-standard contact ids', () => {
    expect(verifyStartPayload(KEY, startPayload(KEY, 'ct_legacy-42'))).toBe('ct_legacy-42');
  });

  it('refuses forged, altered, foreign-key and truncated payloads', () => {
    const contactId = newId('ct');
    const payload = startPayload(KEY, contactId);
    const other = newId('ct');
    const forged = startPayload('another-key', other);
    const swapped = startPayload(KEY, other).slice(0, -22) + payload.slice(-22);
    const flipped = payload.slice(0, 5) + (payload[5] === 'A' ? 'B' : 'A') + payload.slice(6);
    for (const bad of [forged, swapped, flipped, payload.slice(0, -1), payload + 'x', '', 'hello', 'c' + '0'.repeat(60)]) {
      expect(verifyStartPayload(KEY, bad)).toBeNull();
    }
  });
});

describe('webhookSecretFor', () => {
  it('derives a stable token Telegram accepts, different per key', () => {
    expect(webhookSecretFor(KEY)).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(webhookSecretFor(KEY)).toBe(webhookSecretFor(KEY));
    expect(webhookSecretFor(KEY)).not.toBe(webhookSecretFor('other'));
  });
});
