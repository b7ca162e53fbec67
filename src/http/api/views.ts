import type { EngineDeps } from '../../engine/deps';
import type { DeliveryRow, EnrollmentRow, EventRow } from '../../db/schema';
import type { EnrollmentMigrationRow } from '../../db/schema-migrations';
import { parseJsonObject } from '../../db/json';

/** Epoch ms as an ISO string; null stays null. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An enrollment as a contact's answer lists it. */
export function enrollmentSummary(e: EnrollmentRow) {
  return {
    id: e.id, funnelId: e.funnel_id, version: e.version, status: e.status,
    enrolledAt: iso(e.enrolled_at), finishedAt: iso(e.finished_at), convertedAt: iso(e.converted_at),
  };
}

/** One entry of an enrollment's timeline: a ledger row (with its skip/defer/failure reason), an event, or a migration. */
export type TimelineEntry = ReturnType<typeof deliveryEntry> | ReturnType<typeof eventEntry> | ReturnType<typeof migrationEntry>;

function migrationEntry(m: EnrollmentMigrationRow) {
  return {
    type: 'migration' as const, at: iso(m.at)!, id: m.id, migrationId: m.migration_id, fromVersion: m.from_version, toVersion: m.to_version,
    fromStep: m.from_step, toStep: m.to_step, outcome: m.outcome, reason: m.reason,
  };
}

function deliveryEntry(d: DeliveryRow) {
  return {
    type: 'delivery' as const, at: iso(d.sent_at ?? d.failed_at ?? d.scheduled_at)!, id: d.id, touchId: d.touch_id, channel: d.channel,
    status: d.status, reason: d.reason, subject: d.subject, recipient: d.recipient,
    scheduledAt: iso(d.scheduled_at), sentAt: iso(d.sent_at), deliveredAt: iso(d.delivered_at), openedAt: iso(d.opened_at), clickedAt: iso(d.clicked_at),
  };
}

function eventEntry(e: EventRow) {
  return { type: 'event' as const, at: iso(e.occurred_at)!, id: e.id, name: e.name, properties: parseJsonObject(e.properties), value: e.value };
}

/** The timeline cap; an enrollment's contact can keep sending events long after it enrolled. */
const MAX_EVENTS = 1000;

/**
 * The enrollment's deliveries, the event that enrolled it, its contact's events since and what migrations did with it
 * (from, to, when, the step it was at and the one it continued at), oldest first (deliveries first on a tie).
 */
export async function timelineOf(deps: EngineDeps, e: EnrollmentRow): Promise<TimelineEntry[]> {
  const deliveries = await deps.db.selectFrom('deliveries').selectAll().where('enrollment_id', '=', e.id).execute();
  const events = await deps.db.selectFrom('events').selectAll()
    .where('contact_id', '=', e.contact_id)
    .where((eb) => eb.or([eb('occurred_at', '>=', e.enrolled_at), ...(e.trigger_event_id ? [eb('id', '=', e.trigger_event_id)] : [])]))
    .orderBy('occurred_at').limit(MAX_EVENTS).execute();
  const migrations = await deps.db.selectFrom('enrollment_migrations').selectAll().where('enrollment_id', '=', e.id).execute();
  const entries: TimelineEntry[] = [...deliveries.map(deliveryEntry), ...events.map(eventEntry), ...migrations.map(migrationEntry)];
  return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.type === b.type ? 0 : a.type === 'delivery' ? -1 : b.type === 'delivery' ? 1 : 0));
}

/** The enrollment's orders (first and repeat goal events) and their revenue per currency, in minor units. */
async function ordersOf(deps: EngineDeps, enrollmentId: string) {
  const rows = await deps.db.selectFrom('orders').select(['currency', 'amount_minor', 'is_first']).where('enrollment_id', '=', enrollmentId).execute();
  const revenueMinor: Record<string, number> = {};
  for (const r of rows) revenueMinor[r.currency] = (revenueMinor[r.currency] ?? 0) + Number(r.amount_minor);
  return { orders: rows.length, repeatOrders: rows.filter((r) => r.is_first === 0).length, revenueMinor };
}

/** The enrollment as `GET /api/enrollments/:id` answers it; `currentStep` asks the running workflow, null once finished. */
export async function enrollmentDetail(deps: EngineDeps, e: EnrollmentRow) {
  const position = e.status === 'active' ? await deps.gateway.currentStep(e.workflow_id) : null;
  return {
    id: e.id, funnelId: e.funnel_id, contactId: e.contact_id, version: e.version, status: e.status,
    currentStep: position?.stepId ?? null, currentState: position?.state ?? null,
    enrolledAt: iso(e.enrolled_at), finishedAt: iso(e.finished_at), convertedAt: iso(e.converted_at), exitReason: e.exit_reason,
    ...(await ordersOf(deps, e.id)),
    timeline: await timelineOf(deps, e),
  };
}
