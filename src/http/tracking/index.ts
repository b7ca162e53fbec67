import { Hono } from 'hono';
import type { TrackingRouteDeps } from './deps';
import { openClickRoutes } from './open-click';
import { unsubscribeRoutes } from './unsubscribe-routes';
import { bounceWebhookRoutes } from './bounce-webhook';

export type { TrackingRouteDeps } from './deps';
export { consentRoutes } from './consent-api';

/**
 * Everything a message links back to, to be mounted at `/`: the open pixel `/t/o/:token`, tracked links `/t/c/:linkId`,
 * the unsubscribe page `/u/:token` (GET, POST incl. RFC 8058 one-click) and the bounce webhook
 * `POST /webhooks/email/bounce`. Middleware is registered on these paths only, never on `*`.
 */
export function trackingRoutes(deps: TrackingRouteDeps): Hono {
  const app = new Hono();
  app.route('/', openClickRoutes(deps));
  app.route('/', unsubscribeRoutes(deps));
  app.route('/', bounceWebhookRoutes(deps));
  return app;
}
