import { createServer } from 'node:net';

// Ports for the servers tests start come from below the kernel's ephemeral range (32768–60999 here), a slice per
// vitest worker: a port the kernel hands out for bind(0) or an outgoing connection — a Temporal dev server's internal
// services, another test's stack — never lands on one a test chose, released, and means to listen on again (a
// restarted stack keeps its ports). Each process hands a port out once.
const SLICE = 1_500;
const FIRST = 20_000;
const given = new Set<number>();

function sliceStart(): number {
  const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1);
  return FIRST + ((Number.isFinite(worker) && worker > 0 ? worker - 1 : 0) % 8) * SLICE;
}

function listensFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A TCP port free on loopback right now, from this worker's slice, never handed out before by this process. */
export async function freePort(): Promise<number> {
  const start = sliceStart();
  for (let tries = 0; tries < 200; tries++) {
    const port = start + Math.floor(Math.random() * SLICE);
    if (given.has(port)) continue;
    given.add(port);
    if (await listensFree(port)) return port;
  }
  return kernelPort();
}

/** A port the kernel picks (bind to 0): the fallback when the slice is used up. */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls until `fn` returns a truthy value or the time runs out; a probe that hangs past the deadline counts as a miss. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await withinMs(Math.max(deadline - Date.now(), everyMs), `a probe of ${what}`, Promise.resolve(fn()));
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `promise`, or an error naming `what` once `ms` have passed: an await in a test that cannot hang unnamed. */
export function withinMs<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
