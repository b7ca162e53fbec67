import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import type { AppDeps } from '../app';
import { errorBody, errorResponse } from '../error-response';
import { contactRoutes } from './contacts';
import { enrollmentRoutes } from './enrollments';
import { eventRoutes } from './events';
import { funnelRoutes } from './funnels';
import { openApiRoutes } from './openapi';
import { statsRoutes } from './stats';
import { answerRoutes } from './answers';
import { experimentRoutes } from './experiments';
import { webinarApiRoutes } from './webinars';
import { testSendRoutes } from './test-sends';
import { referralRoutes } from './referrals';
import { broadcastRoutes, funnelBroadcastRoutes } from './broadcasts';
import { outboxApiRoutes } from './outbox';
import { versionRoutes } from './versions';
import { touchRoutes } from './touches';
import { staffRoutes } from './staff';
import { spendRoutes } from './spend';
import { consentRoutes } from '../tracking/index';

/** The default cap on a request body. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Compares a presented token with the API token in constant time, synchronously: hono's default hashes both with
 * WebCrypto on every request, a trip to the thread pool that cost more than storing an event.
 */
function tokenCheck(apiToken: string): (token: string) => boolean {
  const expected = createHash('sha256').update(apiToken).digest();
  return (token) => timingSafeEqual(createHash('sha256').update(token).digest(), expected);
}

/** The `/api` sub-app: bearer auth (timing-safe; every failure is a 401 with `WWW-Authenticate: Bearer`) except for the OpenAPI document, a body limit, the JSON endpoints. */
export function apiRoutes(deps: AppDeps): Hono {
  const maxSize = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const secretKey = deps.secretKey ?? deps.public?.secretKey;
  // Every failure (a malformed header too, which bearer auth would answer 400) is the contract's 401.
  const unauthorized = { message: () => errorResponse(401, errorBody('unauthorized', 'a valid "Authorization: Bearer <API_TOKEN>" header is required')) };
  return new Hono()
    .use('*', except('/api/openapi.json', bearerAuth({
      verifyToken: tokenCheck(deps.apiToken), noAuthenticationHeader: unauthorized, invalidAuthenticationHeader: unauthorized, invalidToken: unauthorized,
    })))
    // The batch endpoint has its own, larger limit (src/http/api/events.ts).
    .use('*', except('/api/events/batch', bodyLimit({
      maxSize,
      onError: (c) => c.json(errorBody('payload_too_large', `the request body exceeds ${maxSize} bytes`), 413),
    })))
    .route('/openapi.json', openApiRoutes({
      public: deps.public !== undefined, telegramWebhook: deps.public?.telegram?.webhook === true, smsWebhooks: deps.public?.smsWebhooks !== undefined,
      vkCallback: deps.public?.vk !== undefined,
    }))
    .route('/contacts', contactRoutes({ ...deps, secretKey }))
    .route('/contacts', consentRoutes({ ...deps, secretKey }))
    .route('/webinars', webinarApiRoutes({ ...deps, ...(deps.public && { secretKey: deps.public.secretKey, publicUrl: deps.public.publicUrl }) }))
    .route('/events', eventRoutes(deps))
    .route('/funnels', funnelRoutes(deps))
    .route('/funnels', statsRoutes(deps))
    .route('/funnels', answerRoutes(deps))
    .route('/funnels', experimentRoutes(deps))
    .route('/funnels', testSendRoutes(deps))
    .route('/funnels', referralRoutes(deps))
    .route('/funnels', funnelBroadcastRoutes(deps))
    .route('/broadcasts', broadcastRoutes(deps))
    .route('/funnels', versionRoutes(deps))
    .route('/enrollments', enrollmentRoutes(deps))
    .route('/outbox', outboxApiRoutes(deps))
    .route('/touches', touchRoutes(deps))
    .route('/staff', staffRoutes(deps))
    .route('/spend', spendRoutes(deps));
}
