import { Hono } from 'hono';
import type { EngineDeps } from '../engine/deps';
import { handleError } from './error-response';
import { notFoundOrNotAllowed } from './method-not-allowed';
import { healthRoutes } from './health';
import { closeAfterUnreadBody } from './refused-body';
import { apiRoutes } from './api/index';
import { mountPublicRoutes, type PublicDeps } from './public-routes';
import type { TestSendChannels } from './api/test-sends';
import type { MessageCosts } from '../money/money-figures';

/** What the HTTP app needs: the engine, the API token, and optional extras. */
export type AppDeps = EngineDeps & {
  /** The bearer token `/api/*` requires; must not be empty. */
  apiToken: string;
  /** HMAC key of erased addresses (and of signed links); default `public.secretKey`. Erasure needs one. */
  secretKey?: string;
  /** Customer-facing routes (tracking, unsubscribe, pages, forms, webinars, webhooks); omitted in API-only tests. */
  public?: PublicDeps;
  /** The largest request body accepted (bytes); default 256 KiB. */
  maxBodyBytes?: number;
  /** What an email and a Telegram message cost (minor units) in the money stats; default nothing. */
  messageCosts?: MessageCosts;
  /** The channels test sends go through (the engine's own); without them a test send answers 503. */
  testSend?: TestSendChannels;
  /**
   * EXTENSION HOOK: mounts more routes (the dashboard) on the root app. Called after `/health` and `/api` are
   * registered, so middleware it adds runs after theirs; errors in its routes go through the same error handler.
   */
  extra?: (app: Hono) => void;
};

/** The whole HTTP app: `/health`, the authenticated `/api`, whatever `extra` mounts; every error answers the contract's error body. */
export function createApp(deps: AppDeps): Hono {
  if (!deps.apiToken) throw new Error('createApp: apiToken must not be empty');
  const app = new Hono();
  app.use('*', closeAfterUnreadBody());
  app.route('/health', healthRoutes(deps));
  app.route('/api', apiRoutes(deps));
  if (deps.public) mountPublicRoutes(app, deps, deps.public);
  deps.extra?.(app);
  app.notFound(notFoundOrNotAllowed(app));
  app.onError(handleError(deps.log));
  return app;
}
