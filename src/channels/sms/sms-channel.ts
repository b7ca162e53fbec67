import type { SendResult, SmsChannel, SmsMessage } from '../channel';
import type { SmsProvider } from './provider';
import { normalizePhone } from '../../contacts/phone';
import { smsSegments } from './segments';

/** How the SMS channel prices what the provider does not price itself. */
export interface SmsChannelOptions {
  /** Price of one SMS part in the provider's currency (`SMS_PRICE_PER_SEGMENT`); 0 or unset = unknown, cost left out. */
  pricePerSegment?: number | undefined;
}

/**
 * The SMS channel over one provider: refuses numbers that are not valid phone numbers without calling the provider,
 * and reports on every accepted send the parts billed (the provider's count, else computed from the text) and the
 * cost (the provider's, else parts × `pricePerSegment` when that is set).
 */
export function createSmsChannel(provider: SmsProvider, options: SmsChannelOptions = {}): SmsChannel {
  const price = options.pricePerSegment ?? 0;
  return {
    name: provider.name,
    async send(message: SmsMessage, ctx: { deliveryId: string }): Promise<SendResult> {
      const to = normalizePhone(message.to);
      if (to === null) return { ok: false, retryable: false, code: 'invalid_address', reason: `not a valid phone number: ${JSON.stringify(message.to)}` };
      if (message.text.trim() === '') return { ok: false, retryable: false, reason: 'empty SMS text' };
      const length = smsSegments(message.text);
      let result: SendResult;
      try {
        result = await provider.send({ to, text: message.text }, ctx);
      } catch (err) {
        return { ok: false, retryable: true, reason: `${provider.name}: ${(err as Error).message}` };
      }
      if (!result.ok) return result;
      const segments = result.segments ?? length.segments;
      const cost = result.cost ?? (price > 0 ? Math.round(segments * price * 10_000) / 10_000 : undefined);
      return { ...result, segments, ...(cost !== undefined && { cost }) };
    },
  };
}
