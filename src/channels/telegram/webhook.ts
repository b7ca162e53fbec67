import type { Api } from 'grammy';
import { mac } from '../../security/signed-token';
import { TELEGRAM_ALLOWED_UPDATES } from './polling';

/**
 * The secret token Telegram sends back in `X-Telegram-Bot-Api-Secret-Token` on every webhook call, derived from
 * SECRET_KEY (22 characters of `[A-Za-z0-9_-]`, within Telegram's 1–256); stable across restarts, so a registered
 * webhook keeps working.
 */
export function webhookSecretFor(secretKey: string): string {
  return mac(secretKey, 'telegram-webhook', 'secret-token');
}

/** Points the bot's webhook at `url` (HTTPS, e.g. `${PUBLIC_URL}/webhooks/telegram`) with the derived secret token. */
export async function registerTelegramWebhook(api: Api, url: string, secretKey: string): Promise<void> {
  await api.setWebhook(url, { secret_token: webhookSecretFor(secretKey), allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] });
}
