import type { Db } from '../../db/database';
import { holdSendSlot, nextSendSlot, releaseSendSlot, reserveSendSlot } from '../../db/send-slots';

/** How long a chat stays held past the start of its sender's last request, should the sender die. */
export const CHAT_HOLD_MS = 15_000;

/** How late a sender may start on its slot before it takes a new one. */
const LATE_MS = 15;

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/** Options of the shared pacer; the defaults match TelegramPacer's. */
export interface SharedPacerOptions {
  db: Db;
  /** Keys the bot's slots, so two bots on one database keep separate budgets: the token's numeric id. */
  botId: string;
  /** Prefix of the slot keys: `tg` (the default) for a bot; another sender with its own budget (a VK community) passes its own. */
  keyPrefix?: string | undefined;
  globalPerSecond?: number | undefined;
  perChatIntervalMs?: number | undefined;
}

/** The bot's send limits as every process on the database sees them. */
export interface SharedTelegramPacer {
  /** Runs `send` holding `chatId` across all processes; `slot()` waits for the bot-wide next start before each request. */
  run<T>(chatId: string, send: (slot: () => Promise<void>) => Promise<T>): Promise<T>;
}

/**
 * Telegram's limits across every worker on the shared database (migration 0015's `send_slots`): request starts of the
 * bot are spaced `1000 / globalPerSecond` ms apart over all processes (one statement hands out each start; a start
 * missed by more than 15 ms is given up for a new one, so late senders never bunch up), and a
 * chat is held by one sender at a time, the next send starting `perChatIntervalMs` after the previous one finished
 * (a sender that died frees its chat `CHAT_HOLD_MS` after its last request started).
 */
export function createSharedTelegramPacer(opts: SharedPacerOptions): SharedTelegramPacer {
  const gap = 1000 / (opts.globalPerSecond ?? 25);
  const perChat = Math.max(0, opts.perChatIntervalMs ?? 1000);
  const prefix = opts.keyPrefix ?? 'tg';
  const allKey = `${prefix}:${opts.botId}:all`;
  return {
    async run(chatId, send) {
      const chatKey = `${prefix}:${opts.botId}:chat:${chatId}`;
      while (!(await holdSendSlot(opts.db, chatKey, CHAT_HOLD_MS, Date.now()))) {
        const next = await nextSendSlot(opts.db, chatKey);
        await sleep(Math.min(250, Math.max(10, next - Date.now())));
      }
      try {
        return await send(async () => {
          await releaseSendSlot(opts.db, chatKey, Date.now() + CHAT_HOLD_MS); // the hold runs from this request on
          // A sender that wakes late (a stalled event loop, a slow query) takes a new slot rather than its old one:
          // firing late slots at once would bunch requests at the peer beyond the rate.
          for (let tries = 0; ; tries++) {
            const at = await reserveSendSlot(opts.db, allKey, gap, Date.now());
            await sleep(at - Date.now());
            if (Date.now() - at <= LATE_MS || tries >= 20) break;
          }
        });
      } finally {
        await releaseSendSlot(opts.db, chatKey, Date.now() + perChat);
      }
    },
  };
}
