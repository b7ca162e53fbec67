import { z } from 'zod';
import type { PageDeps } from '../pages/deps';
import type { Plan } from '../dsl/plan';
import { touchesOf } from '../dsl/plan';
import { findContact } from '../db/contacts';
import { recordConsent } from '../consent/record-consent';
import { savePushSubscription } from '../db/push-subscriptions';
import { verifyPageToken } from '../pages/page-url';
import { ingestEvent } from '../engine/ingest-event';
import { NotFoundError } from '../errors';

/** What the page's script posts: the page and its token (who the visitor is), the browser's `PushSubscription.toJSON()`. */
export const PushSubscribeBody = z.object({
  funnelId: z.string().min(1).max(200),
  pageId: z.string().min(1).max(200),
  token: z.string().min(1).max(500),
  subscription: z.object({
    endpoint: z.url({ protocol: /^https$/, message: 'a push endpoint is an https URL' }).max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'p256dh is a base64url P-256 public key'), auth: z.string().regex(/^[A-Za-z0-9_-]{16,30}={0,2}$/, 'auth is a base64url secret') }),
  }),
  /** The text of the button the visitor pressed, kept as the consent's wording. */
  wording: z.string().max(500).optional(),
});
export type PushSubscribeBody = z.infer<typeof PushSubscribeBody>;

/** Whether a funnel sends web push (a push() touch or an asPush fallback): its pages then offer the subscription. */
export function offersPush(plan: Pick<Plan, 'steps'>): boolean {
  return touchesOf(plan.steps).some((t) => t.type === 'push' || (t.fallback ?? []).some((f) => f.channel === 'push'));
}

/**
 * Stores a browser's subscription for the contact the page token names — a forged or foreign token is NotFound and
 * stores nothing — records `push` consent with its proof (source `push:<funnel>/<page>`, IP, user agent, the button's
 * words) and emits `push.subscribed` once per subscription. A browser subscribing again keeps its row (keys refreshed).
 */
export async function subscribeToPush(deps: PageDeps, body: PushSubscribeBody, proof: { ip: string | null; userAgent: string | null }): Promise<{ id: string; created: boolean }> {
  const funnel = deps.funnels.get(body.funnelId);
  const page = funnel?.plan.pages?.find((p) => p.id === body.pageId);
  const contactId = page ? verifyPageToken(deps.secretKey, body.funnelId, body.pageId, body.token) : null;
  const contact = contactId ? await findContact(deps.db, { contactId }) : undefined;
  if (!funnel || !page || !contact) throw new NotFoundError('page', `${body.funnelId}/${body.pageId}`);
  const at = deps.now();
  const saved = await savePushSubscription(deps.db, {
    contactId: contact.id, endpoint: body.subscription.endpoint, p256dh: body.subscription.keys.p256dh.replace(/=+$/, ''),
    auth: body.subscription.keys.auth.replace(/=+$/, ''), funnelId: funnel.plan.id, pageId: page.id, userAgent: proof.userAgent, at,
  });
  await recordConsent(deps.db, {
    contactId: contact.id, channel: 'push', granted: true, source: `push:${funnel.plan.id}/${page.id}`,
    ip: proof.ip, userAgent: proof.userAgent, wording: body.wording ?? 'browser notifications allowed', at,
  });
  await ingestEvent(deps, {
    contactId: contact.id, name: 'push.subscribed', properties: { funnelId: funnel.plan.id, pageId: page.id, subscriptionId: saved.id },
    idempotencyKey: `push:subscribed:${saved.id}:${contact.id}`,
  });
  return saved;
}
