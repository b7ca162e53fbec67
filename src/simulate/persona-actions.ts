import type { EngineDeps } from '../engine/deps';
import type { Plan } from '../dsl/plan';
import type { ContactRow } from '../db/schema';
import type { TouchReached } from '../../workflows/persona-driver';
import { ingestEvent } from '../engine/ingest-event';
import { withdrawConsents } from '../consent/unsubscribe';
import { CONSENT_CHANNELS, type ConsentChannel } from '../consent/record-consent';
import { recordAttendance } from '../webinars/record-attendance';
import { findWebinar } from '../webinars/webinar-rows';
import { markTelegramBlocked } from '../channels/telegram/suppress';
import { recordPageView } from '../pages/open-page';
import { latestEnrollment } from '../pages/page-ledger';

const TOUCH_EVENT = /^(.+)\.(sent|delivered|opened|clicked|replied|failed|unsubscribed)$/;

/** One persona action to apply now. */
export interface ApplyAction {
  contact: ContactRow;
  event: string;
  properties: Record<string, unknown>;
  value?: number | undefined;
  /** The touch the action follows, when it follows one. */
  trigger: TouchReached | null;
  now: number;
  /** Makes the stored event unique to this action of this persona. */
  key: string;
}

/**
 * Does what the customer did, through the code that handles it in production: an unsubscribe withdraws consent as
 * the unsubscribe page does, attendance goes through the attendance report, a blocked bot is suppressed, a page view
 * is recorded like a visit, a touch event marks the delivery's engagement; anything else is ingested as an event.
 */
export async function applyPersonaAction(deps: EngineDeps & { secretKey: string; publicUrl: string }, plan: Plan, a: ApplyAction): Promise<void> {
  const { contact } = a;
  const occurredAt = new Date(a.now).toISOString();
  if (a.event === 'contact.unsubscribed') {
    const asked = a.properties.channels ?? (a.properties.channel === undefined ? undefined : [a.properties.channel]);
    const fromTouch = a.trigger && (CONSENT_CHANNELS as readonly string[]).includes(a.trigger.channel) ? [a.trigger.channel] : undefined;
    const channels = ((asked as string[] | undefined) ?? fromTouch ?? [...CONSENT_CHANNELS]) as ConsentChannel[];
    await withdrawConsents(deps, {
      contactId: contact.id, deliveryId: a.trigger?.deliveryId ?? null, channels, wording: 'simulated persona', at: a.now,
    });
    return;
  }
  if (a.event === 'webinar.attended' || a.event === 'webinar.missed') {
    const webinarId = (a.properties.webinarId as string | undefined) ?? a.trigger?.webinarId ?? plan.webinars?.[0]?.id;
    const webinar = webinarId === undefined ? undefined : await findWebinar(deps.db, webinarId);
    if (!webinar) throw new Error(`webinar ${webinarId ?? '(none)'} is not stored`);
    const joined = a.event === 'webinar.attended';
    const minutes = typeof a.properties.minutes === 'number' ? a.properties.minutes : Math.round(webinar.duration_ms / 60_000);
    await recordAttendance(deps, webinar, {
      records: [{
        row: 1, identity: { contactId: contact.id }, joined,
        ...(joined && { minutes }),
        ...(typeof a.properties.stayedToOffer === 'boolean' && { stayedToOffer: a.properties.stayedToOffer }),
      }],
    });
    return;
  }
  if (a.event === 'telegram.blocked') {
    if (!contact.telegram_chat_id) throw new Error('the contact has no Telegram chat to block');
    await markTelegramBlocked(deps, contact.id, contact.telegram_chat_id, a.now);
    return;
  }
  const page = plan.pages?.find((p) => a.event === `${p.id}.viewed`);
  if (page) {
    await recordPageView(deps, plan.id, page, contact, await latestEnrollment(deps.db, plan.id, contact.id));
    return;
  }
  const touch = TOUCH_EVENT.exec(a.event);
  let properties = a.properties;
  if (touch) {
    const delivery = await deps.db.selectFrom('deliveries').select(['id', 'channel']).where('contact_id', '=', contact.id)
      .where('funnel_id', '=', plan.id).where('touch_id', '=', touch[1]!).executeTakeFirst();
    properties = { funnelId: plan.id, ...(delivery && { deliveryId: delivery.id, channel: delivery.channel }), ...a.properties };
  }
  await ingestEvent(deps, {
    contactId: contact.id, name: a.event, properties, occurredAt, idempotencyKey: a.key,
    ...(a.value !== undefined && { value: a.value }),
  });
}
