import autocannon from 'autocannon';
import { BENCH_TOKEN } from './stack';

/** What a load run measured. */
export interface LoadResult {
  /** Answered requests per second (2xx only). */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  p99Ms: number;
}

/** One load run with autocannon: `connections` keep-alive connections POSTing `body(i)` for `seconds` (or at `rate` requests/s overall). */
export async function postLoad(opts: {
  base: string; path: string; connections: number; seconds: number; body: (i: number) => string; rate?: number;
  onAnswer?: (status: number, body: string) => void;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: opts.base,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate !== undefined && { overallRate: opts.rate }),
    requests: [{
      method: 'POST', path: opts.path,
      headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: opts.body(i++) }),
      ...(opts.onAnswer && { onResponse: (status: number, body: string) => opts.onAnswer!(status, body) }),
    }],
  });
  const ok = result['2xx'];
  return { rps: ok / (result.duration || opts.seconds), ok, non2xx: result.non2xx, errors: result.errors + result.timeouts, p99Ms: result.latency.p99 };
}

/** Runs `n` calls of `task` with `concurrency` in flight for `seconds`; answers completed calls per second. */
export async function lanes(concurrency: number, seconds: number, task: (i: number) => Promise<void>): Promise<{ perSecond: number; done: number; failed: number }> {
  const until = Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      try {
        await task(next++);
        done += 1;
      } catch {
        failed += 1;
      }
    }
  }));
  return { perSecond: done / ((Date.now() - started) / 1000), done, failed };
}
