import type { DeliveryRow } from '../db/schema';
import type { PushMessage } from '../channels/push/types';
import type { SendTouchDeps } from './send-deps';
import type { Candidate } from './touch-candidates';
import { renderTemplate, type TemplateContext } from '../templates/render';
import { findPushSubscription } from '../db/push-subscriptions';
import { storeLinks } from '../tracking/links';
import { withUtm } from '../tracking/utm';

/**
 * A push touch's notification for the subscription `address`: title, body and icon rendered as plain-text Liquid; the
 * click URL (UTM tags added) stored as a tracked link, so the notification carries `PUBLIC_URL/t/c/<id>` and a click
 * is `<touchId>.clicked`. Undefined when the subscription is gone.
 */
export async function pushMessage(deps: SendTouchDeps, a: {
  row: DeliveryRow; address: string; candidate: Extract<Candidate, { channel: 'push' }>; ctx: TemplateContext; utm: Parameters<typeof withUtm>[1]; now: number;
}): Promise<PushMessage | undefined> {
  const sub = await findPushSubscription(deps.db, a.address);
  if (!sub) return undefined;
  const text = async (t: string | undefined) => (t === undefined ? undefined : (await renderTemplate(t, a.ctx, 'text')).trim());
  const title = (await text(a.candidate.title))!;
  const body = (await text(a.candidate.body))!;
  const target = await text(a.candidate.url);
  const icon = await text(a.candidate.icon);
  let url: string | undefined;
  if (target) {
    const tagged = withUtm(target, a.utm);
    const id = (await storeLinks(deps.db, a.row.id, [tagged], a.now)).get(tagged)!;
    url = `${deps.publicUrl.replace(/\/$/, '')}/t/c/${id}`;
  }
  return {
    target: { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
    payload: { title, body, tag: a.row.id, ...(url && { url }), ...(icon && { icon }) },
  };
}
