import type { ContactRow } from '../db/schema';
import type { EngineDeps } from '../engine/deps';
import { ingestEvent } from '../engine/ingest-event';
import { markUnsubscribed } from '../db/deliveries';
import { CONSENT_CHANNELS, writeConsent, type ConsentChannel } from './record-consent';
import { addressOn } from '../contacts/addresses';

/** One channel as the unsubscribe page shows it. */
export interface ChannelState {
  channel: ConsentChannel;
  /** Where the contact is reached on it (email, phone, chat id, VK user id), or null. */
  address: string | null;
  /** The stored consent: true, false (withdrawn), undefined (never asked). */
  consent: boolean | undefined;
  /** True when messages may still go out on it, i.e. there is something to unsubscribe from. */
  active: boolean;
}


/**
 * The contact's channels that matter to an unsubscribe: those it has an address on or a consent record for.
 * A channel is active unless its consent was withdrawn (a never-asked channel with an address counts as active).
 */
export async function subscriptionState(deps: Pick<EngineDeps, 'db'>, contact: ContactRow): Promise<ChannelState[]> {
  const rows = await deps.db.selectFrom('consents').select(['channel', 'granted']).where('contact_id', '=', contact.id).execute();
  const consent = new Map(rows.map((r) => [r.channel, r.granted === 1]));
  return CONSENT_CHANNELS.map((channel) => {
    const address = addressOn(contact, channel);
    const c = consent.get(channel);
    return { channel, address, consent: c, active: c ?? address !== null };
  }).filter((s) => s.address !== null || s.consent !== undefined);
}

/** One unsubscribe request, authorised by a signed token. */
export interface WithdrawInput {
  contactId: string;
  /** The delivery whose link was used; its touch gets the `<touchId>.unsubscribed` event. */
  deliveryId: string | null;
  channels: readonly ConsentChannel[];
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  /** What the person did, kept as the proof's wording (`List-Unsubscribe one-click`, the page's button). */
  wording: string;
  at: number;
}

/**
 * Withdraws consent on each channel not withdrawn yet, atomically (consents + consent_log, source
 * `unsubscribe:<channel>`); then, when anything changed, marks the delivery's `unsubscribed_at` and ingests
 * `<touchId>.unsubscribed` `{funnelId, deliveryId, channels}` and `contact.unsubscribed` `{channels}`.
 * Returns the channels actually withdrawn: repeating a request changes and emits nothing.
 */
export async function withdrawConsents(deps: EngineDeps, input: WithdrawInput): Promise<ConsentChannel[]> {
  const { db } = deps;
  const withdrawn = await db.transaction().execute(async (trx) => {
    const done: ConsentChannel[] = [];
    for (const channel of new Set(input.channels)) {
      const row = await trx.selectFrom('consents').select('granted')
        .where('contact_id', '=', input.contactId).where('channel', '=', channel).executeTakeFirst();
      if (row?.granted === 0) continue;
      await writeConsent(trx, {
        contactId: input.contactId, channel, granted: false, source: `unsubscribe:${channel}`,
        ip: input.ip, userAgent: input.userAgent, wording: input.wording, at: input.at,
      });
      done.push(channel);
    }
    return done;
  });
  if (withdrawn.length === 0) return withdrawn;

  const delivery = input.deliveryId
    ? await db.selectFrom('deliveries').select(['id', 'funnel_id', 'touch_id']).where('id', '=', input.deliveryId)
      .where('contact_id', '=', input.contactId).executeTakeFirst()
    : undefined;
  const occurredAt = new Date(input.at).toISOString();
  if (delivery) {
    await markUnsubscribed(db, delivery.id, input.at);
    await ingestEvent(deps, {
      contactId: input.contactId, name: `${delivery.touch_id}.unsubscribed`, occurredAt,
      properties: { funnelId: delivery.funnel_id, deliveryId: delivery.id, channels: withdrawn },
    });
  }
  await ingestEvent(deps, {
    contactId: input.contactId, name: 'contact.unsubscribed', occurredAt,
    properties: { channels: withdrawn },
  });
  return withdrawn;
}
