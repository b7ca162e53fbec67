import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Update } from 'grammy/types';
import { errorBody } from '../error-response';
import { handleTelegramUpdate, type TelegramUpdateDeps } from '../../channels/telegram/updates';
import { sameSecret } from '../../security/same-secret';

export { webhookSecretFor } from '../../channels/telegram/webhook';

/** What the Telegram webhook needs: update handling deps and the secret token Telegram echoes back. */
export type TelegramWebhookDeps = TelegramUpdateDeps & { webhookSecret: string };

const MAX_UPDATE_BYTES = 1024 * 1024;

/**
 * `POST /` (mounted at `/webhooks/telegram`): checks `X-Telegram-Bot-Api-Secret-Token` in constant time (401
 * otherwise), 400 `invalid_json` for a body that is not a JSON update, and answers 200 at once. Updates are then
 * handled in arrival order in the background — Telegram never waits on our own Bot API answers, and an update
 * that fails is logged rather than redelivered forever (handling is idempotent per update_id either way).
 */
export function telegramWebhookRoutes(deps: TelegramWebhookDeps): Hono {
  if (!deps.webhookSecret) throw new Error('telegramWebhookRoutes: webhookSecret must not be empty');
  const app = new Hono();
  let queue: Promise<void> = Promise.resolve();

  app.post('/', bodyLimit({
    maxSize: MAX_UPDATE_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `an update is at most ${MAX_UPDATE_BYTES} bytes`), 413),
  }), async (c) => {
    if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token'), deps.webhookSecret)) {
      return c.json(errorBody('unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token'), 401);
    }
    let update: Update;
    try {
      update = JSON.parse(await c.req.text()) as Update;
    } catch {
      return c.json(errorBody('invalid_json', 'the body is not valid JSON'), 400);
    }
    if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id)) {
      return c.json(errorBody('bad_request', 'an update needs a numeric update_id'), 400);
    }
    queue = queue.then(() => handleTelegramUpdate(deps, update)).catch((err: unknown) => {
      deps.log.error('telegram: webhook update failed', { update: update.update_id, error: err });
    });
    return c.json({ ok: true }, 200);
  });
  return app;
}
