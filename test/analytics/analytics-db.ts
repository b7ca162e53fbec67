import type { Db } from '../../src/db/database';
import { freshDatabase } from '../helpers/test-db';
import type { DeliveryStatus, NewEnrollmentRow } from '../../src/db/schema';

/** A fresh migrated database (rollups and their triggers included) on the run's database; `close` removes it. */
export async function openAnalyticsDb(): Promise<{ db: Db; close: () => Promise<void> }> {
  return freshDatabase();
}

/** Inserts a contact and an enrollment (active unless told otherwise). */
export async function addEnrollment(db: Db, e: Pick<NewEnrollmentRow, 'id' | 'funnel_id' | 'enrolled_at'> & Partial<NewEnrollmentRow>): Promise<void> {
  const contactId = e.contact_id ?? `ct_${e.id}`;
  await db.insertInto('contacts').values({
    id: contactId, external_id: null, email: `${contactId}@example.test`, phone: null, telegram_chat_id: null, name: null, timezone: null,
    locale: null, attributes: '{}', created_at: e.enrolled_at, updated_at: e.enrolled_at,
  }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('enrollments').values({
    contact_id: contactId, version: 'v1', workflow_id: `funnel:${e.funnel_id}:${contactId}`, status: 'active', current_step: null,
    exit_reason: null, trigger_event_id: null, finished_at: null, converted_at: null, ...e,
  }).execute();
}

/** Inserts a ledger row in its final state (times default from `at`). */
export async function addDelivery(db: Db, d: {
  id: string; enrollmentId: string; funnelId: string; touchId: string; status: DeliveryStatus; at: number;
  sentAt?: number | null; reason?: string | null; opened?: number | null; clicked?: number | null; channel?: string;
}): Promise<void> {
  const reached = d.status === 'sent' || d.status === 'delivered' || d.status === 'outbox';
  await db.insertInto('deliveries').values({
    id: d.id, enrollment_id: d.enrollmentId, funnel_id: d.funnelId, contact_id: `ct_${d.enrollmentId}`, touch_id: d.touchId,
    channel: d.channel ?? 'email', status: d.status, reason: d.reason ?? null, attempts: 1, scheduled_at: d.at, created_at: d.at,
    sent_at: d.sentAt !== undefined ? d.sentAt : reached ? d.at : null, delivered_at: d.status === 'delivered' ? d.at : null,
    opened_at: d.opened ?? null, clicked_at: d.clicked ?? null,
  }).execute();
}
