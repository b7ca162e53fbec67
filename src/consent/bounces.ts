import type { Db } from '../db/database';
import type { DeliveryRow } from '../db/schema';
import type { EngineDeps } from '../engine/deps';
import { markBounced } from '../db/deliveries';
import { ingestEvent } from '../engine/ingest-event';
import { normalizeAddress, suppress } from './suppressions';

/** A hard bounce as an MTA or ESP reports it. */
export interface BounceInput {
  email: string;
  reason: string;
  at: number;
  /** The ledger row of the message that bounced, when known. */
  deliveryId?: string | undefined;
}

/** What a bounce changed. */
export interface BounceResult {
  /** True when the address was not suppressed before. */
  suppressed: boolean;
  /** The delivery marked failed (null when none was given, found or it was sent to another address). */
  deliveryId: string | null;
  /** The `<touchId>.failed` event stored for it. */
  eventId: string | null;
}

/** The email delivery a provider message id belongs to (with or without the angle brackets of a Message-ID). */
export async function findEmailDeliveryByMessageId(db: Db, messageId: string): Promise<DeliveryRow | undefined> {
  const bare = messageId.trim().replace(/^<(.*)>$/, '$1');
  if (!bare) return undefined;
  return db.selectFrom('deliveries').selectAll().where('channel', '=', 'email')
    .where('provider_message_id', 'in', [bare, `<${bare}>`]).orderBy('created_at', 'desc').executeTakeFirst();
}

/**
 * Records a hard bounce: the address is suppressed for email (the send pipeline checks `isSuppressed`), and when the
 * delivery is known and was sent to that address it is marked failed (`bounce: <reason>`, in the touch log too) and
 * `<touchId>.failed` is ingested once per delivery. Repeated reports change nothing.
 */
export async function recordBounce(deps: EngineDeps, input: BounceInput): Promise<BounceResult> {
  const { db } = deps;
  const address = normalizeAddress('email', input.email);
  const suppressed = await suppress(db, { channel: 'email', address, reason: 'bounce', at: input.at });
  const result: BounceResult = { suppressed, deliveryId: null, eventId: null };
  if (!input.deliveryId) return result;
  const delivery = await db.selectFrom('deliveries').selectAll().where('id', '=', input.deliveryId).executeTakeFirst();
  if (!delivery || delivery.channel !== 'email') return result;
  if (delivery.recipient !== null && normalizeAddress('email', delivery.recipient) !== address) {
    deps.log.warn('bounce ignored for a delivery sent to another address', { delivery: delivery.id, email: address });
    return result;
  }
  const reason = `bounce: ${input.reason}`.slice(0, 1000);
  if (!delivery.reason?.startsWith('bounce:')) await markBounced(db, delivery, reason, input.at);
  const event = await ingestEvent(deps, {
    contactId: delivery.contact_id, name: `${delivery.touch_id}.failed`,
    properties: { funnelId: delivery.funnel_id, deliveryId: delivery.id, channel: 'email', reason, bounce: true },
    occurredAt: new Date(input.at).toISOString(), idempotencyKey: `bounce:${delivery.id}`,
  });
  return { ...result, deliveryId: delivery.id, eventId: event.id };
}
