import type { Logger } from '../../log';
import type { SendResult, VkChannel, VkMessage } from '../channel';
import { TelegramPacer } from '../telegram/pacer';
import type { SharedTelegramPacer } from '../telegram/shared-pacer';
import { callVk, type VkApiOptions } from './api';
import { classifyVkError } from './classify';
import { randomIdFor, vkKeyboard } from './keyboard';

/** Options of the VK channel. */
export interface VkChannelOptions extends VkApiOptions {
  /** The community's numeric id (`VK_GROUP_ID`). */
  groupId: string;
  log?: Logger | undefined;
  /** Requests per second of the community token; default 20 (VK's limit for community tokens). */
  perSecond?: number | undefined;
  /** Longest "too many requests" wait done inside `send`; a longer one is returned as retryable. Default 5 s. */
  maxInlineRetryAfterMs?: number | undefined;
  /** The limit across every process on the shared database; without it pacing is this process's. */
  shared?: SharedTelegramPacer | undefined;
}

const MAX_INLINE_RETRIES = 3;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * VK community messages through `messages.send`: text, an inline keyboard, attachments (VK media ids). Paced at
 * `perSecond` requests of the community token (in this process, and across processes with `shared`); every send of a
 * delivery carries the same `random_id`, so a retry never delivers twice. Error 6 (too many requests) within
 * `maxInlineRetryAfterMs` is waited out here, a longer wait (9, flood control) is returned as retryable with
 * `retryAfterMs`; the cannot-send family (901, 902, 7, 15, …) is `blocked`. Never throws for provider failures.
 * A successful send is `delivered` with provider id `<peer_id>:<message_id>`.
 */
export function createVkChannel(opts: VkChannelOptions): VkChannel {
  const pacer = new TelegramPacer({ globalPerSecond: opts.perSecond ?? 20, perChatIntervalMs: 0 });
  const maxInlineWait = opts.maxInlineRetryAfterMs ?? 5_000;

  const send = async (m: VkMessage, ctx: { deliveryId: string }): Promise<SendResult> => {
    let keyboard: string | undefined;
    try {
      keyboard = m.buttons?.length ? vkKeyboard(m.buttons) : undefined;
    } catch (err) {
      return { ok: false, retryable: false, code: 'rejected', reason: (err as Error).message };
    }
    const params = {
      peer_id: m.peerId, random_id: randomIdFor(ctx.deliveryId), message: m.text, keyboard,
      attachment: m.attachments?.length ? m.attachments.join(',') : undefined, group_id: opts.groupId,
    };
    const body = async (slot: () => Promise<void>): Promise<SendResult> => {
      for (let attempt = 0; ; attempt++) {
        await slot();
        try {
          const id = await callVk(opts, 'messages.send', params);
          return { ok: true, providerMessageId: `${m.peerId}:${String(id)}`, status: 'delivered' };
        } catch (err) {
          const failure = classifyVkError(err);
          const wait = failure.retryAfterMs;
          if (wait === undefined || wait > maxInlineWait || attempt >= MAX_INLINE_RETRIES) {
            opts.log?.warn('vk send failed', { vkUser: m.peerId, reason: failure.reason, retryable: failure.retryable });
            return failure;
          }
          opts.log?.info('vk asked to slow down, waiting', { vkUser: m.peerId, ms: wait });
          await sleep(wait);
        }
      }
    };
    return pacer.run(m.peerId, (local) => {
      const shared = opts.shared;
      if (!shared) return body(local);
      return shared.run(m.peerId, (everywhere) => body(async () => { await local(); await everywhere(); }));
    });
  };

  return { name: 'vk', send };
}
