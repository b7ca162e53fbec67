import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rateLimiter } from 'hono-rate-limiter';
import type { PageDeps } from '../../pages/deps';
import type { ClientIp } from '../pages/client-ip';
import { PushSubscribeBody, subscribeToPush } from '../../push/subscribe';
import { SERVICE_WORKER, SUBSCRIBE_SCRIPT } from '../../push/scripts';
import { errorBody, handleError } from '../error-response';
import { readJson } from '../api/validate';

/** At most this many subscription posts per client address per 10 minutes. */
const SUBSCRIBE_LIMIT = 20;
const MAX_BODY_BYTES = 8 * 1024;

/**
 * Web push's public routes, mounted at `/push`: the page's subscribe script (`subscribe.js`), the service worker
 * (`sw.js`, scope `/push/`), and `POST /push/subscriptions` `{funnelId, pageId, token, subscription, wording?}` — the
 * page token names the contact (a forged one is 404 and stores nothing); `201 {id}` new, `200 {id}` known browser.
 */
export function pushRoutes(deps: PageDeps & { clientIp: ClientIp }): Hono {
  const app = new Hono();
  const script = (source: string) => (c: { body: (b: string, s: 200, h: Record<string, string>) => Response }) =>
    c.body(source, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  app.get('/subscribe.js', (c) => script(SUBSCRIBE_SCRIPT)(c));
  app.get('/sw.js', (c) => script(SERVICE_WORKER)(c));
  app.post(
    '/subscriptions',
    rateLimiter({
      windowMs: 10 * 60_000, limit: SUBSCRIBE_LIMIT, keyGenerator: (c) => deps.clientIp(c) ?? 'unknown',
      handler: (c) => c.json(errorBody('rate_limited', 'too many subscriptions from this address; try again later'), 429),
    }),
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorBody('payload_too_large', `the subscription exceeds ${MAX_BODY_BYTES} bytes`), 413) }),
    async (c) => {
      const body = await readJson(c, PushSubscribeBody);
      const saved = await subscribeToPush(deps, body, { ip: deps.clientIp(c), userAgent: c.req.header('user-agent') ?? null });
      c.header('cache-control', 'no-store');
      return c.json({ id: saved.id }, saved.created ? 201 : 200);
    },
  );
  app.onError(handleError(deps.log));
  return app;
}
