/** The Telegram channel: sending, text rendering, button and deep-link payloads, the front door (/start, shared phones), update handling, polling. */
export { createTelegramChannel, type TelegramBotChannel, type TelegramChannelOptions } from './channel';
export { classifyTelegramError } from './classify';
export { TelegramPacer } from './pacer';
export { renderTelegramText, escapeTelegramHtml, escapeTelegramMarkdownV2, type TelegramTextMode } from './render';
export { callbackData, parseCallbackData, CALLBACK_DATA_MAX_BYTES } from './callback-data';
export { telegramStartLink, startPayload, verifyStartPayload } from './start-link';
export { handleTelegramUpdate } from './updates';
export { classifyStartPayload, PUBLIC_SOURCE, type StartPayload } from './start-payload';
export { TELEGRAM_SUBSCRIBED } from './start-command';
export { handlePhoneShared, TELEGRAM_PHONE_SHARED } from './phone-share';
export type { BotGreeting, TelegramUpdateDeps } from './update-deps';
export { markTelegramBlocked, suppressTelegram, unsuppressTelegram, isTelegramSuppressed, type BlockedDeps, type EmitEvent } from './suppress';
export { startTelegramPolling, TELEGRAM_ALLOWED_UPDATES, type PollingOptions } from './polling';
export { webhookSecretFor, registerTelegramWebhook } from './webhook';
