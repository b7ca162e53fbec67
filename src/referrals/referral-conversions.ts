import type { EngineDeps } from '../engine/deps';
import type { EnrollmentRow, EventRow } from '../db/schema';
import { ingestEvent } from '../engine/ingest-event';

/** The event the referrer gets when a contact it brought reaches a funnel's goal: `{referredContactId, funnelId, enrollmentId, value}`. */
export const REFERRAL_CONVERTED = 'referral.converted';

/**
 * For each enrollment this goal event converted: when the converting contact was referred, emits `referral.converted`
 * to its referrer, once per enrollment (the idempotency key), so a redone dispatch emits nothing twice.
 */
export async function emitReferralConversions(deps: EngineDeps, event: EventRow, converted: EnrollmentRow[]): Promise<void> {
  if (converted.length === 0) return;
  const link = await deps.db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', event.contact_id).executeTakeFirst();
  if (!link) return;
  for (const e of converted) {
    await ingestEvent(deps, {
      contactId: link.referrer_id, name: REFERRAL_CONVERTED, idempotencyKey: `referral:converted:${e.id}`,
      properties: { referredContactId: event.contact_id, funnelId: e.funnel_id, enrollmentId: e.id, goal: event.name, value: event.value },
    });
  }
}
