import { Hono } from 'hono';
import { sql } from 'kysely';
import type { EngineDeps } from '../engine/deps';

/** How long a health probe waits for a part before calling it failed. */
const PROBE_TIMEOUT_MS = 3000;

async function probe(what: string, deps: EngineDeps, check: () => Promise<unknown>): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS); }),
    ]);
    return 'ok';
  } catch (err) {
    deps.log.warn('health check failed', { part: what, error: err });
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /health` (no auth): 200 `{status:"ok", db:"ok", temporal:"ok"}`, or 503 `status:"degraded"` with the failing part `"error"`. */
export function healthRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/', async (c) => {
    const [db, temporal] = await Promise.all([
      probe('db', deps, () => sql`select 1`.execute(deps.db)),
      probe('temporal', deps, () => deps.gateway.health()),
    ]);
    const ok = db === 'ok' && temporal === 'ok';
    return c.json({ status: ok ? 'ok' : 'degraded', db, temporal }, ok ? 200 : 503);
  });
}
