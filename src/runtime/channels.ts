import type { Config } from '../config';
import type { Logger } from '../log';
import type { Db } from '../db/database';
import type { EngineDeps } from '../engine/deps';
import type { EmailChannel, SmsChannel, TelegramChannel, VkChannel } from '../channels/channel';
import { createSmtpChannel } from '../channels/email/smtp';
import { createEmailOutbox, createSmsOutbox, createTelegramOutbox, createVkOutbox } from '../channels/outbox';
import { createVkChannel } from '../channels/vk/channel';
import { createSmsChannelFromEnv } from '../channels/sms/env';
import { smsWebhookUrl } from '../channels/sms/webhook-url';
import { createTelegramChannel, type TelegramBotChannel } from '../channels/telegram/channel';
import { createSharedTelegramPacer } from '../channels/telegram/shared-pacer';
import { smsWebhookRoutes } from '../http/webhooks/sms';
import { ingestEvent } from '../engine/ingest-event';
import type { PushChannel } from '../channels/push/types';
import { createWebPushChannel } from '../channels/push/web-push-channel';

/** Who the push services may contact about our pushes: VAPID_SUBJECT, else an https PUBLIC_URL, else MAIL_FROM's address. */
export function vapidSubject(config: Pick<Config, 'VAPID_SUBJECT' | 'PUBLIC_URL' | 'MAIL_FROM'>): string {
  if (config.VAPID_SUBJECT) return config.VAPID_SUBJECT;
  if (config.PUBLIC_URL.startsWith('https://')) return config.PUBLIC_URL;
  const address = /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM.trim();
  return `mailto:${address}`;
}

/** The channels this process sends through: providers where configured, the dev outbox (labelled on the dashboard) elsewhere. */
export interface ChannelSet {
  email: EmailChannel;
  sms: SmsChannel;
  telegram: TelegramChannel;
  /** Web push through the browsers' push services, signed with the VAPID keys. */
  push: PushChannel;
  /** The Bot API channel when TELEGRAM_BOT_TOKEN is set. */
  bot: TelegramBotChannel | null;
  /** The bot's username for deep links (null without a bot, or when getMe failed). */
  botUsername: string | null;
  /** The VK community (`messages.send`) when VK_GROUP_TOKEN is set, the dev outbox otherwise. */
  vk: VkChannel;
  /** The community's name for `{{ links.vk }}` (VK_COMMUNITY, else `club<VK_GROUP_ID>`); null without VK_GROUP_ID. */
  vkCommunity: string | null;
  /** Channels that go to the dev outbox. */
  outbox: Array<'email' | 'sms' | 'telegram' | 'vk'>;
  close(): Promise<void>;
}

/** Builds every channel from the configuration and says, once, which ones only go to the dev outbox. */
export async function createChannels(config: Config, db: Db, log: Logger, secretKey: string, vapid: { publicKey: string; privateKey: string }): Promise<ChannelSet> {
  const push = createWebPushChannel({ vapid: { ...vapid, subject: vapidSubject(config) } });
  const email = config.SMTP_URL ? createSmtpChannel(config.SMTP_URL) : createEmailOutbox(db);
  const sms = createSmsChannelFromEnv(config as unknown as Record<string, string | undefined>, { publicUrl: config.PUBLIC_URL, secretKey }) ?? createSmsOutbox(db);
  const bot = config.TELEGRAM_BOT_TOKEN ? createTelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, log,
    // Every worker and server on the database shares the bot's 30/s and each chat's 1/s.
    shared: createSharedTelegramPacer({ db, botId: config.TELEGRAM_BOT_TOKEN.split(':')[0]! }),
  }) : null;
  const vk = config.VK_GROUP_TOKEN && config.VK_GROUP_ID ? createVkChannel({
    token: config.VK_GROUP_TOKEN, groupId: config.VK_GROUP_ID, apiUrl: config.VK_API_URL, log,
    // Every worker and server on the database shares the community token's 20 requests/s.
    shared: createSharedTelegramPacer({ db, botId: config.VK_GROUP_ID, keyPrefix: 'vk', globalPerSecond: 20, perChatIntervalMs: 0 }),
  }) : null;
  let botUsername: string | null = null;
  if (bot) {
    try {
      botUsername = await bot.username();
    } catch (err) {
      log.warn('telegram: getMe failed, deep links stay empty until the next start', { error: (err as Error).message });
    }
  }
  const outbox = [
    ...(config.SMTP_URL ? [] : ['email' as const]),
    ...(config.SMS_PROVIDER ? [] : ['sms' as const]),
    ...(bot ? [] : ['telegram' as const]),
    ...(vk ? [] : ['vk' as const]),
  ];
  if (outbox.length > 0) log.warn(`dev outbox: ${outbox.join(', ')} messages are stored and shown on the dashboard, not sent (set SMTP_URL, SMS_PROVIDER, TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN)`);
  const vkCommunity = config.VK_COMMUNITY ?? (config.VK_GROUP_ID ? `club${config.VK_GROUP_ID}` : null);
  return {
    email, sms, telegram: bot ?? createTelegramOutbox(db), push, bot, botUsername, vk: vk ?? createVkOutbox(db), vkCommunity, outbox,
    close: async () => { await email.close?.(); },
  };
}

/** The SMS provider's webhook (receipts, replies) as events: inbound text is `sms.received`, receipts `<touchId>.delivered|failed`. */
export function smsWebhooks(config: Config, deps: EngineDeps, secretKey: string) {
  if (!config.SMS_PROVIDER) return undefined;
  deps.log.info('SMS webhook (delivery reports and replies)', { url: smsWebhookUrl(config.PUBLIC_URL, secretKey, config.SMS_PROVIDER) });
  return smsWebhookRoutes({
    db: deps.db, secretKey, log: deps.log, now: deps.now, publicUrl: config.PUBLIC_URL,
    twilioAuthToken: config.SMS_PROVIDER === 'twilio' ? config.TWILIO_AUTH_TOKEN : undefined,
    onInbound: async (e) => {
      if (!e.contactId) return;
      await ingestEvent(deps, {
        contactId: e.contactId, name: 'sms.received', properties: { text: e.text, provider: e.provider, stop: e.stop },
        occurredAt: new Date(e.at).toISOString(), ...(e.providerMessageId && { idempotencyKey: `sms-in:${e.provider}:${e.providerMessageId}` }),
      });
    },
    onReceipt: async (e) => {
      await ingestEvent(deps, {
        contactId: e.contactId, name: `${e.touchId}.${e.status}`, properties: { funnelId: e.funnelId, deliveryId: e.deliveryId, channel: 'sms' },
        occurredAt: new Date(e.at).toISOString(), idempotencyKey: `sms-receipt:${e.deliveryId}:${e.status}`,
      });
    },
  });
}
