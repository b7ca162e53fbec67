import type { SendResult } from '../channel';
import { VkApiError } from './api';

/** A failed send as the channel reports it. */
export type VkFailure = Extract<SendResult, { ok: false }>;

/**
 * VK's "cannot send to this user" family: 7 permission denied, 15 access denied, 18 user deleted or banned, 900 user
 * in the community's blacklist, 901 no permission to message the user (they never wrote or denied messages), 902 the
 * user's privacy settings.
 */
export const VK_CANNOT_SEND = new Set([7, 15, 18, 900, 901, 902]);
/** How long to wait after 6 "too many requests per second" and 9 "flood control" before trying again. */
export const VK_RETRY_AFTER_MS: Readonly<Record<number, number>> = { 6: 1_000, 9: 60_000 };
/** Errors an operator or VK itself fixes (auth, internal errors, the method disabled, the API down): retried later. */
const TEMPORARY = new Set([1, 5, 10, 27, 28, 29]);
/** The user id does not exist. */
const INVALID_ADDRESS = new Set([113, 936]);

/**
 * What a VK API failure means for the engine: the cannot-send family is `blocked` for good (the VK channel is
 * suppressed for the contact, later touches fall back); 6 and 9 are retryable with a wait; auth and VK's own errors
 * are retryable; an unknown user is an `invalid_address`; any other error code is `rejected` (the message itself is
 * wrong, e.g. 100 a bad parameter, 911 a bad keyboard, 914 too long); network trouble is retryable.
 */
export function classifyVkError(err: unknown): VkFailure {
  if (err instanceof VkApiError) {
    const reason = `vk ${err.code}: ${err.description}`;
    const wait = VK_RETRY_AFTER_MS[err.code];
    if (wait !== undefined) return { ok: false, retryable: true, reason, retryAfterMs: wait };
    if (VK_CANNOT_SEND.has(err.code)) return { ok: false, retryable: false, code: 'blocked', reason };
    if (INVALID_ADDRESS.has(err.code)) return { ok: false, retryable: false, code: 'invalid_address', reason };
    if (TEMPORARY.has(err.code)) return { ok: false, retryable: true, reason };
    return { ok: false, retryable: false, code: 'rejected', reason };
  }
  return { ok: false, retryable: true, reason: err instanceof Error ? err.message : String(err) };
}
