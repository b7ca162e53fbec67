import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { EmailAddress } from '../../contacts/input';
import { findEmailDeliveryByMessageId, recordBounce, type BounceResult } from '../../consent/bounces';
import { bounceWebhookToken } from '../../tracking/tokens';
import { errorBody, httpError } from '../error-response';
import { parseWith } from '../api/validate';
import type { TrackingRouteDeps } from './deps';
import { sameSecret } from '../../security/same-secret';

/** One hard bounce as an MTA or ESP posts it; other fields of its payload are ignored. */
export const BounceReport = z.object({
  email: EmailAddress,
  reason: z.string().trim().min(1, 'reason must not be empty').max(1000),
  /** The provider message id of the bounced message (`deliveries.provider_message_id`), with or without `<>`. */
  messageId: z.string().min(1).max(998).optional(),
});
export type BounceReport = z.infer<typeof BounceReport>;

const MAX_REPORTS = 1000;
const MAX_BODY_BYTES = 256 * 1024;

/**
 * `POST /webhooks/email/bounce?token=<bounceWebhookToken>` — one report or an array of up to 1000: each address is
 * suppressed and, when `messageId` names a delivery, that delivery is marked failed with `<touchId>.failed` ingested.
 * The whole body is validated before anything is stored: a bad report rejects the request (400/422) and stores nothing.
 */
export function bounceWebhookRoutes(deps: TrackingRouteDeps): Hono {
  const expected = bounceWebhookToken(deps.secretKey);
  return new Hono().post(
    '/webhooks/email/bounce',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorBody('payload_too_large', `the request body exceeds ${MAX_BODY_BYTES} bytes`), 413) }),
    async (c) => {
      if (!sameSecret(c.req.query('token'), expected)) {
        return c.json(errorBody('unauthorized', 'a valid ?token= for this webhook is required'), 401);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (err) {
        throw httpError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
      }
      const reports: BounceReport[] = Array.isArray(body)
        ? parseWith(z.array(BounceReport).min(1, 'at least one report').max(MAX_REPORTS), body, 'request body')
        : [parseWith(BounceReport, body, 'request body')];
      const at = deps.now();
      const results: Array<{ email: string } & BounceResult> = [];
      for (const r of reports) {
        const delivery = r.messageId ? await findEmailDeliveryByMessageId(deps.db, r.messageId) : undefined;
        results.push({ email: r.email.toLowerCase(), ...(await recordBounce(deps, { email: r.email, reason: r.reason, at, deliveryId: delivery?.id })) });
      }
      return c.json({ results });
    },
  );
}
