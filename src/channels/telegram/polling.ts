import type { Api } from 'grammy';
import type { TelegramUpdateDeps } from './update-deps';
import { handleTelegramUpdate } from './updates';

/** The update kinds the bot acts on; asking only for them keeps Telegram from sending the rest. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** Options of the long-polling loop. */
export interface PollingOptions {
  /** Stops the loop like `stop()` does. */
  signal?: AbortSignal | undefined;
  /** Long-poll timeout of each getUpdates call; default 25 s. */
  timeoutSeconds?: number | undefined;
}

/**
 * Receives updates by long polling (for local use, where Telegram cannot reach a webhook): removes any webhook,
 * then loops on getUpdates with an offset, handling each update in order. A failing update is logged and skipped;
 * a failing getUpdates is logged and retried with backoff. `stop()` ends the loop, confirms the handled updates to
 * Telegram, and resolves when the loop has finished.
 */
export function startTelegramPolling(deps: TelegramUpdateDeps, opts: PollingOptions = {}): { stop(): Promise<void> } {
  const { api } = deps.channel;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) abort.abort();
  // grammY types its signal parameter with the abort-controller polyfill's type; the runtime object is the same.
  const signal = abort.signal as Parameters<Api['getUpdates']>[1];
  const stopped = () => abort.signal.aborted;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

  const loop = async () => {
    let offset = 0;
    let confirmed = 0;
    let failures = 0;
    let webhookRemoved = false;
    while (!stopped()) {
      try {
        if (!webhookRemoved) webhookRemoved = await api.deleteWebhook({}, signal);
        const updates = await api.getUpdates({ offset, timeout: opts.timeoutSeconds ?? 25, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] }, signal);
        confirmed = offset;
        failures = 0;
        for (const update of updates) {
          try {
            await handleTelegramUpdate(deps, update);
          } catch (err) {
            deps.log.error('telegram: update failed, skipped', { update: update.update_id, error: err });
          }
          offset = update.update_id + 1;
        }
      } catch (err) {
        if (stopped()) break;
        failures++;
        deps.log.warn('telegram: getUpdates failed, retrying', { error: err, attempt: failures });
        await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      }
    }
    // Tell Telegram which updates are done, so the next start does not see them again (they would be no-ops anyway).
    if (offset > confirmed) {
      await api.getUpdates({ offset, limit: 1, timeout: 0 }).catch((err: unknown) => deps.log.debug('telegram: final confirm failed', { error: err }));
    }
  };

  deps.log.info('telegram: polling for updates');
  const done = loop().finally(() => opts.signal?.removeEventListener('abort', onAbort));
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}
