/** How fast the Bot API lets a bot write: ~30 messages/s overall, 1 message/s per chat. */
export interface PacerOptions {
  /** Messages per second over all chats; default 25 (under Telegram's ~30). */
  globalPerSecond?: number;
  /** Minimum gap between two sends to the same chat; default 1000 ms. */
  perChatIntervalMs?: number;
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * An in-process send limiter. Sends to one chat run one after another, each starting at least `perChatIntervalMs`
 * after the previous one finished — so the gap holds where Telegram measures it, at arrival, whatever the network
 * delay (a chat held by a 429 wait holds only that chat); over all chats, send starts are
 * spaced `1000 / globalPerSecond` ms apart. Scope is one process; the shared pacer (shared-pacer.ts) holds the limits across processes.
 */
export class TelegramPacer {
  private readonly globalGapMs: number;
  private readonly perChatMs: number;
  private nextGlobalAt = 0;
  /** Per chat: settles, with the time the last send (retries included) finished. */
  private readonly chats = new Map<string, Promise<number>>();

  constructor(opts: PacerOptions = {}) {
    const perSecond = opts.globalPerSecond ?? 25;
    if (!(perSecond > 0)) throw new Error('TelegramPacer: globalPerSecond must be positive');
    this.globalGapMs = 1000 / perSecond;
    this.perChatMs = Math.max(0, opts.perChatIntervalMs ?? 1000);
  }

  /**
   * Runs `send` for `chatId` when both limits allow. `send` gets `slot()`, which it awaits before every API request
   * it makes (a retry after 429 takes a new slot); the chat stays reserved until `send` settles.
   */
  async run<T>(chatId: string, send: (slot: () => Promise<void>) => Promise<T>): Promise<T> {
    const previous = this.chats.get(chatId) ?? Promise.resolve(Number.NEGATIVE_INFINITY);
    let lastStart = Number.NEGATIVE_INFINITY;
    let done!: () => void;
    const mine = new Promise<number>((resolve) => { done = () => resolve(Date.now()); });
    this.chats.set(chatId, mine);
    try {
      lastStart = await previous;
      const slot = async () => {
        await sleep(lastStart + this.perChatMs - Date.now());
        const at = Math.max(Date.now(), this.nextGlobalAt);
        this.nextGlobalAt = at + this.globalGapMs;
        await sleep(at - Date.now());
        lastStart = Date.now();
      };
      return await send(slot);
    } finally {
      done();
      // Forget an idle chat once its interval has passed, so the map holds only chats in flight.
      setTimeout(() => { if (this.chats.get(chatId) === mine) this.chats.delete(chatId); }, this.perChatMs).unref();
    }
  }
}
