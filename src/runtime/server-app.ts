import type { Hono } from 'hono';
import type { EngineDeps } from '../engine/deps';
import type { TelegramBotChannel } from '../channels/telegram/channel';
import type { BotGreeting } from '../channels/telegram/update-deps';
import type { VkCallbackSettings } from '../http/public-routes';
import { clientIp } from '../http/pages/client-ip';
import { createApp } from '../http/app';
import { createDashboard } from '../http/dashboard/index';
import type { TestSendChannels } from '../http/api/test-sends';
import type { PreviewRunner } from '../simulate/preview';
import type { MessageCosts } from '../money/money-figures';

/** Everything the served HTTP app is built from besides the engine. */
export interface ServerAppOptions {
  apiToken: string;
  secretKey: string;
  adminPassword: string;
  publicUrl: string;
  trustProxy: boolean;
  /** The bot, when one is configured; `webhook` when its updates come to `/webhooks/telegram`. */
  telegram?: { channel: TelegramBotChannel; username: string | null; webhook: boolean; greeting?: BotGreeting | undefined } | undefined;
  /** The SMS provider's webhook routes, when one is configured. */
  smsWebhooks?: Hono | undefined;
  /** The VK Callback API (`/webhooks/vk`), when VK_GROUP_ID and VK_CONFIRMATION are set. */
  vk?: VkCallbackSettings | undefined;
  /** Channels that go to the dev outbox (the dashboard says so). */
  outboxChannels: string[];
  /** The engine's channels, for test sends from the API and the dashboard (omitted: no test sends). */
  testSend?: TestSendChannels | undefined;
  /** What an email and a Telegram message cost in minor units (EMAIL_MESSAGE_COST, TELEGRAM_MESSAGE_COST); default 0. */
  messageCosts?: MessageCosts | undefined;
  /** Runs the built-in personas for the dashboard's Preview (default: the simulator with default settings). */
  preview?: PreviewRunner | undefined;
  /** The VAPID public key: serves `/push/*` and offers the subscription on pages of funnels that send web push. */
  pushKey?: string | undefined;
}

/**
 * The app `npm start` and `npm run server` serve: `/health`, the API, every public route (tracking, pages, forms,
 * webinars, webhooks) and the dashboard — one definition, so tests over a loopback port serve exactly this.
 */
export function createServerApp(deps: EngineDeps, o: ServerAppOptions): Hono {
  return createApp({
    ...deps,
    apiToken: o.apiToken,
    secretKey: o.secretKey,
    testSend: o.testSend,
    ...(o.messageCosts && { messageCosts: o.messageCosts }),
    public: {
      secretKey: o.secretKey, publicUrl: o.publicUrl, trustProxy: o.trustProxy, telegram: o.telegram, smsWebhooks: o.smsWebhooks, pushKey: o.pushKey, vk: o.vk,
    },
    extra: (root) => root.route('/', createDashboard({
      db: deps.db, funnels: deps.funnels, adminPassword: o.adminPassword, secretKey: o.secretKey, outboxChannels: o.outboxChannels,
      engine: deps, testSend: o.testSend, ...(o.messageCosts && { messageCosts: o.messageCosts }), ...(o.preview && { preview: o.preview }), clientIp: (c) => clientIp(o.trustProxy)(c) ?? 'unknown',
    })),
  });
}
