import { GrammyError, HttpError } from 'grammy';
import type { SendResult } from '../channel';

/** A failed send as the channel reports it. */
export type TelegramFailure = Extract<SendResult, { ok: false }>;

const INVALID_ADDRESS = /chat not found|PEER_ID_INVALID|user not found|CHAT_ID_INVALID/i;

/**
 * What a Bot API failure means for the engine: 403 (blocked, deactivated, kicked) is `blocked` for good; 400 "chat
 * not found" is an `invalid_address`; other 400s are `rejected` (the message itself is wrong); 429, 5xx, a rejected
 * token (an operator can fix it) and network trouble are retryable, 429 with the wait Telegram asked for.
 */
export function classifyTelegramError(err: unknown): TelegramFailure {
  if (err instanceof GrammyError) {
    const reason = `${err.error_code}: ${err.description}`;
    const code = err.error_code;
    if (code === 429) {
      const seconds = err.parameters.retry_after ?? 1;
      return { ok: false, retryable: true, reason, retryAfterMs: seconds * 1000 };
    }
    if (code === 403) return { ok: false, retryable: false, code: 'blocked', reason };
    if (code === 400 && INVALID_ADDRESS.test(err.description)) return { ok: false, retryable: false, code: 'invalid_address', reason };
    if (code >= 500 || code === 401) return { ok: false, retryable: true, reason };
    return { ok: false, retryable: false, code: 'rejected', reason };
  }
  if (err instanceof HttpError) return { ok: false, retryable: true, reason: `network: ${err.message}` };
  return { ok: false, retryable: true, reason: err instanceof Error ? err.message : String(err) };
}
