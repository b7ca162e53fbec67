import type { Logger } from '../log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects to Temporal, waiting while it is not reachable yet (a server restarting, a cluster rolling over, a worker
 * started before the frontend): retries with backoff up to `waitMs`, then throws the last error.
 */
export async function connectWhenReachable<T>(address: string, connect: () => Promise<T>, log: Logger, waitMs = 60_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await connect();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      log.warn('temporal not reachable yet, retrying', { address, inMs: delay, error: (err as Error).message });
      await sleep(delay);
    }
  }
}
