import type { EngineDeps } from '../../engine/deps';
import { ingestEvent } from '../../engine/ingest-event';
import { findContact } from '../../db/contacts';
import { recordConsent } from '../../consent/record-consent';
import { alreadyHandled } from '../telegram/update-deps';
import { verifyVkRef } from './ref-link';
import { parseVkPayload } from './keyboard';
import { bindVkUser, contactByVkUser } from './bind-user';

/** What the Callback API endpoint needs: the engine, the key of signed refs, the community's settings. */
export type VkCallbackDeps = EngineDeps & {
  secretKey: string;
  /** `VK_GROUP_ID`: events of other communities are refused. */
  groupId: string;
  /** `VK_CONFIRMATION`: the string the `confirmation` request is answered with. */
  confirmation: string;
  /** `VK_CALLBACK_SECRET`: the secret key VK puts into every event; unset, none is required. */
  secret?: string | undefined;
};

/** One Callback API request body as VK sends it. */
export interface VkCallbackEvent {
  type: string;
  group_id?: number | string;
  event_id?: string;
  secret?: string;
  v?: string;
  object?: Record<string, unknown>;
}

/** A message as `message_new` carries it (API 5.199: `object.message`). */
interface VkInboundMessage {
  id?: number;
  from_id?: number;
  peer_id?: number;
  text?: string;
  payload?: string;
  ref?: string;
  ref_source?: string;
}

/** The events a VK user's behaviour becomes, besides `<touchId>.clicked` and `<touchId>.replied`. */
export const VK_EVENTS = { subscribed: 'vk.subscribed', allowed: 'vk.allowed', denied: 'vk.denied' } as const;

const MAX_REPLY_CHARS = 4096;

/**
 * Applies one Callback API event (confirmation and the secret were checked by the caller). `message_new`: a signed
 * `ref` binds the user to its contact (vk consent with proof, `vk.subscribed`); a button payload is
 * `<touchId>.clicked`; other text from a bound user is `<touchId>.replied` on the latest VK delivery. `message_allow`
 * records vk consent (binding the user when the widget's `key` is a signed ref), `message_deny` withdraws it. A
 * retried delivery (same `event_id`) changes nothing: every effect is keyed `vk:<event_id>:…`. Other types are ignored.
 */
export async function handleVkEvent(deps: VkCallbackDeps, event: VkCallbackEvent, eventId: string): Promise<void> {
  const key = (what: string) => `vk:${eventId}:${what}`;
  if (event.type === 'message_new') {
    const msg = (event.object?.message ?? event.object) as VkInboundMessage | undefined;
    const userId = msg?.from_id !== undefined ? String(msg.from_id) : undefined;
    if (!msg || !userId || Number(userId) <= 0) return;
    const bound = msg.ref ? await bindByRef(deps, userId, msg.ref, `message: ${(msg.text ?? '').slice(0, 200)}`, 'vk:ref', key('subscribed')) : false;
    const pressed = parseVkPayload(msg.payload);
    if (pressed) return clicked(deps, userId, pressed, key('clicked'));
    if (!bound && msg.text) return replied(deps, userId, msg.text, key('replied'));
    return;
  }
  if (event.type === 'message_allow' || event.type === 'message_deny') {
    const userId = event.object?.user_id !== undefined ? String(event.object.user_id) : undefined;
    if (!userId) return;
    const allow = event.type === 'message_allow';
    const name = allow ? VK_EVENTS.allowed : VK_EVENTS.denied;
    if (await alreadyHandled(deps.db, key(name))) return;
    const widgetKey = typeof event.object?.key === 'string' ? event.object.key : undefined;
    if (allow && widgetKey && (await bindByRef(deps, userId, widgetKey, 'allowed messages from the community', 'vk:message_allow', key('subscribed')))) return;
    const contact = await contactByVkUser(deps.db, userId);
    if (!contact) {
      deps.log.info(`vk: ${event.type} from a user bound to no contact`, { vkUser: userId });
      return;
    }
    await recordConsent(deps.db, {
      contactId: contact.id, channel: 'vk', granted: allow, source: `vk:${event.type}`, at: deps.now(),
      wording: allow ? 'allowed messages from the community' : 'denied messages from the community', ...(allow && { erasureKey: deps.secretKey }),
    });
    await ingestEvent(deps, { contactId: contact.id, name, properties: { userId }, idempotencyKey: key(name) });
  }
}

/** Binds the user to the contact a signed ref names; false (nothing stored) for a forged or unknown ref. */
async function bindByRef(deps: VkCallbackDeps, userId: string, ref: string, wording: string, source: string, eventKey: string): Promise<boolean> {
  const contactId = verifyVkRef(deps.secretKey, ref);
  const contact = contactId ? await findContact(deps.db, { contactId }) : undefined;
  if (!contact) {
    deps.log.info('vk: a ref that is not a signed link of a known contact', { vkUser: userId });
    return false;
  }
  if (await alreadyHandled(deps.db, eventKey)) return true;
  await bindVkUser(deps.db, { contactId: contact.id, userId, source, wording, at: deps.now(), secretKey: deps.secretKey });
  await ingestEvent(deps, { contactId: contact.id, name: VK_EVENTS.subscribed, properties: { userId, source }, idempotencyKey: eventKey });
  return true;
}

async function clicked(deps: VkCallbackDeps, userId: string, pressed: { deliveryId: string; buttonId: string }, eventKey: string): Promise<void> {
  const delivery = await deps.db.selectFrom('deliveries').selectAll().where('id', '=', pressed.deliveryId).executeTakeFirst();
  // A payload is not secret, the user is: a press counts only from the user the delivery went to.
  const own = delivery && (delivery.recipient === userId || (await contactByVkUser(deps.db, userId))?.id === delivery.contact_id);
  if (!delivery || !own) {
    deps.log.info('vk: button press for an unknown delivery', { vkUser: userId, delivery: pressed.deliveryId });
    return;
  }
  await ingestEvent(deps, {
    contactId: delivery.contact_id, name: `${delivery.touch_id}.clicked`, idempotencyKey: eventKey,
    properties: { button: pressed.buttonId, funnelId: delivery.funnel_id, deliveryId: delivery.id, channel: 'vk' },
  });
}

async function replied(deps: VkCallbackDeps, userId: string, text: string, eventKey: string): Promise<void> {
  const contact = await contactByVkUser(deps.db, userId);
  if (!contact) return;
  const delivery = await deps.db.selectFrom('deliveries').selectAll()
    .where('contact_id', '=', contact.id).where('channel', '=', 'vk').where('sent_at', 'is not', null)
    .orderBy('sent_at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!delivery) {
    deps.log.debug('vk: message from a bound user with no vk delivery yet', { vkUser: userId, contact: contact.id });
    return;
  }
  await ingestEvent(deps, {
    contactId: delivery.contact_id, name: `${delivery.touch_id}.replied`, idempotencyKey: eventKey,
    properties: { text: text.slice(0, MAX_REPLY_CHARS), funnelId: delivery.funnel_id, deliveryId: delivery.id, channel: 'vk' },
  });
}
