import type { SendResult, SmsChannel, SmsMessage, TelegramChannel, TelegramMessage } from '../../src/channels/channel';

/** A test SMS channel: records every message with the time it was handed over. */
export function recordingSms(now: () => number) {
  const sent: Array<SmsMessage & { deliveryId: string; at: number }> = [];
  const channel: SmsChannel = {
    name: 'recording-sms',
    async send(message, ctx): Promise<SendResult> {
      sent.push({ ...message, deliveryId: ctx.deliveryId, at: now() });
      return { ok: true, providerMessageId: `sms-${sent.length}`, status: 'sent', segments: 1 };
    },
  };
  return { channel, sent };
}

/** A test Telegram channel: records messages; chats in `blocked` answer like the Bot API's 403 "bot was blocked by the user". */
export function recordingTelegram(now: () => number) {
  const sent: Array<TelegramMessage & { deliveryId: string; at: number }> = [];
  const blocked = new Set<string>();
  const channel: TelegramChannel = {
    name: 'recording-telegram',
    async send(message, ctx): Promise<SendResult> {
      if (blocked.has(message.chatId)) return { ok: false, retryable: false, code: 'blocked', reason: 'Forbidden: bot was blocked by the user' };
      sent.push({ ...message, deliveryId: ctx.deliveryId, at: now() });
      return { ok: true, providerMessageId: `${message.chatId}:${sent.length}`, status: 'delivered' };
    },
  };
  return { channel, sent, blocked };
}
