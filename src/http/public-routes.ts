import type { Hono } from 'hono';
import type { EngineDeps } from '../engine/deps';
import type { TelegramBotChannel } from '../channels/telegram/channel';
import type { BotGreeting } from '../channels/telegram/update-deps';
import { trackingRoutes } from './tracking/index';
import { pushRoutes } from './push/index';
import { answerRoutes, formRoutes, pageRoutes, clientIp } from './pages/index';
import { webinarPublicRoutes } from '../webinars/public-routes';
import { webinarWebhookRoutes } from './api/webinars';
import { telegramWebhookRoutes } from './webhooks/telegram';
import { webhookSecretFor } from '../channels/telegram/webhook';
import { telegramStartLink } from '../channels/telegram/start-link';
import { vkCallbackRoutes } from './webhooks/vk';

/** The VK community's Callback API settings: VK_GROUP_ID, VK_CONFIRMATION, VK_CALLBACK_SECRET. */
export interface VkCallbackSettings {
  groupId: string;
  confirmation: string;
  secret?: string | undefined;
}

/** What the customer-facing routes need besides the engine. */
export interface PublicDeps {
  /** HMAC key of every signed link. */
  secretKey: string;
  /** Base of the links put into messages. */
  publicUrl: string;
  /** Trust the last `X-Forwarded-For` hop (behind a reverse proxy) for rate limits and consent proof. */
  trustProxy?: boolean;
  /** The bot, when TELEGRAM_BOT_TOKEN is set: deep links on pages, and the webhook when updates come that way. */
  telegram?: { channel: TelegramBotChannel; username: string | null; webhook: boolean; greeting?: BotGreeting | undefined } | undefined;
  /** SMS delivery receipts and replies (`/webhooks/sms/:provider`), mounted when an SMS provider is configured. */
  smsWebhooks?: Hono | undefined;
  /** The VAPID public key: web push's routes (`/push`) and the subscription offer on funnel pages. */
  pushKey?: string | undefined;
  /** VK's Callback API (`/webhooks/vk`): replies, button presses, consent, ref-link binding. */
  vk?: VkCallbackSettings | undefined;
}

/**
 * Mounts everything a customer or a provider reaches, outside `/api`: tracking and unsubscribe (`/t`, `/u`), pages and
 * lead forms (`/p`, `/f`), ask answer pages (`/a`), web push subscriptions (`/push`), webinar registration (`/w`), and the webhooks (Telegram, SMS, webinar attendance, bounces).
 * Each sub-app authenticates by signed token or provider secret; none of them needs the API token.
 */
export function mountPublicRoutes(app: Hono, engine: EngineDeps, p: PublicDeps): void {
  const ip = clientIp(p.trustProxy ?? false);
  const base = { ...engine, secretKey: p.secretKey, publicUrl: p.publicUrl };
  const username = p.telegram?.username ?? null;
  const telegramLink = async (contactId: string) => (username ? telegramStartLink(username, p.secretKey, contactId) : null);
  app.route('/', trackingRoutes({ ...base, clientIp: ip }));
  app.route('/', pageRoutes({ ...base, telegramLink, telegramBot: username, pushKey: p.pushKey ?? null }));
  app.route('/', answerRoutes(base));
  if (p.pushKey) app.route('/push', pushRoutes({ ...base, clientIp: ip }));
  app.route('/', formRoutes({ ...base, telegramLink, trustProxy: p.trustProxy ?? false }));
  app.route('/w', webinarPublicRoutes(base));
  app.route('/webhooks/webinar', webinarWebhookRoutes(base));
  if (p.smsWebhooks) app.route('/webhooks/sms', p.smsWebhooks);
  if (p.vk) app.route('/webhooks/vk', vkCallbackRoutes({ ...base, ...p.vk }));
  if (p.telegram?.webhook) {
    app.route('/webhooks/telegram', telegramWebhookRoutes({ ...base, channel: p.telegram.channel, greeting: p.telegram.greeting, webhookSecret: webhookSecretFor(p.secretKey) }));
  }
}
