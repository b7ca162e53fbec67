import { Api } from 'grammy';
import type { InlineKeyboardButton, Message } from 'grammy/types';
import type { Logger } from '../../log';
import type { SendResult, TelegramButton, TelegramChannel, TelegramMessage } from '../channel';
import { classifyTelegramError } from './classify';
import { TelegramPacer } from './pacer';
import type { SharedTelegramPacer } from './shared-pacer';

/** Options of the Telegram channel. */
export interface TelegramChannelOptions {
  /** The bot token from @BotFather (`TELEGRAM_BOT_TOKEN`). */
  token: string;
  /** Root of the Bot API (`TELEGRAM_API_ROOT`), e.g. a self-hosted Bot API server; default the official one. */
  apiRoot?: string | undefined;
  log?: Logger | undefined;
  /** Messages per second over all chats; default 25. */
  globalPerSecond?: number | undefined;
  /** Minimum gap between two messages to one chat; default 1000 ms. */
  perChatIntervalMs?: number | undefined;
  /** Longest 429 wait (ms) done inside `send`; a longer one is returned as retryable. Default 30 s. */
  maxInlineRetryAfterMs?: number | undefined;
  /** The limits across every process on the shared database (several workers); without it pacing is this process's. */
  shared?: SharedTelegramPacer | undefined;
}

/** The Telegram channel plus the Bot API client the update handlers answer through. */
export type TelegramBotChannel = TelegramChannel & {
  readonly api: Api;
  /** The bot's @username (without "@"), fetched once with getMe; needed for deep links. */
  username(): Promise<string>;
};

const MAX_429_RETRIES = 3;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function keyboard(rows: TelegramButton[][]): InlineKeyboardButton[][] {
  return rows.map((row) => row.map((b): InlineKeyboardButton => {
    if (b.url) return { text: b.text, url: b.url };
    if (b.callbackData) return { text: b.text, callback_data: b.callbackData };
    throw new Error(`button ${JSON.stringify(b.text)} has neither url nor callbackData`);
  }));
}

/** The message's keyboard: inline buttons, else the bot's "share my phone" keyboard, else one taken away. */
function replyMarkup(m: TelegramMessage) {
  if (m.buttons?.length) return { reply_markup: { inline_keyboard: keyboard(m.buttons) } };
  if (m.requestContact) return { reply_markup: { keyboard: [[{ text: m.requestContact, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true } };
  if (m.removeKeyboard) return { reply_markup: { remove_keyboard: true as const } };
  return {};
}

/**
 * Telegram through the Bot API (grammY's `Api`): text, photo (text as caption) or document, with inline buttons.
 * Paced per chat and overall (in this process, and across processes with `shared`); a 429 within `maxInlineRetryAfterMs` is waited out and retried here, a longer one
 * returns `retryAfterMs`. Never throws for provider failures: 403 → `blocked`, "chat not found" → `invalid_address`.
 * A successful send is `delivered` with provider id `<chatId>:<message_id>`.
 */
export function createTelegramChannel(opts: TelegramChannelOptions): TelegramBotChannel {
  const api = new Api(opts.token, { ...(opts.apiRoot && { apiRoot: opts.apiRoot.replace(/\/+$/, '') }), timeoutSeconds: 60 });
  const pacer = new TelegramPacer({
    ...(opts.globalPerSecond !== undefined && { globalPerSecond: opts.globalPerSecond }),
    ...(opts.perChatIntervalMs !== undefined && { perChatIntervalMs: opts.perChatIntervalMs }),
  });
  const maxInlineWait = opts.maxInlineRetryAfterMs ?? 30_000;
  let me: Promise<string> | undefined;

  const call = (m: TelegramMessage): Promise<Message> => {
    const other = {
      ...(m.parseMode && { parse_mode: m.parseMode }),
      ...replyMarkup(m),
    };
    if (m.photo) return api.sendPhoto(m.chatId, m.photo, { ...other, caption: m.text });
    if (m.document) return api.sendDocument(m.chatId, m.document, { ...other, caption: m.text });
    return api.sendMessage(m.chatId, m.text, other);
  };

  const send = async (message: TelegramMessage): Promise<SendResult> => {
    try {
      keyboard(message.buttons ?? []);
    } catch (err) {
      return { ok: false, retryable: false, code: 'rejected', reason: (err as Error).message };
    }
    const paced = <T>(chatId: string, body: (slot: () => Promise<void>) => Promise<T>): Promise<T> => pacer.run(chatId, (local) => {
      const shared = opts.shared;
      if (!shared) return body(local);
      return shared.run(chatId, (everywhere) => body(async () => { await local(); await everywhere(); }));
    });
    return paced(message.chatId, async (slot) => {
      for (let attempt = 0; ; attempt++) {
        await slot();
        try {
          const sent = await call(message);
          return { ok: true, providerMessageId: `${sent.chat.id}:${sent.message_id}`, status: 'delivered' } as const;
        } catch (err) {
          const failure = classifyTelegramError(err);
          const wait = failure.retryAfterMs;
          if (wait === undefined || wait > maxInlineWait || attempt >= MAX_429_RETRIES) {
            opts.log?.warn('telegram send failed', { chat: message.chatId, reason: failure.reason, retryable: failure.retryable });
            return failure;
          }
          opts.log?.info('telegram asked to slow down, waiting', { chat: message.chatId, ms: wait });
          await sleep(wait);
        }
      }
    });
  };

  return {
    name: 'telegram',
    api,
    send,
    username: () => {
      me ??= api.getMe().then((u) => u.username, (err: unknown) => { me = undefined; throw err; });
      return me;
    },
  };
}
