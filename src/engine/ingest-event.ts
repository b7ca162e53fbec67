import { z } from 'zod';
import type { EngineDeps } from './deps';
import type { EventRow } from '../db/schema';
import { NotFoundError, UnavailableError } from '../errors';
import { newId } from '../db/ids';
import { findContact, recordLeadSource } from '../db/contacts';
import { hasSource, LeadSource } from '../contacts/lead-source';
import { EmailAddress, PhoneNumber } from '../contacts/input';
import { EventName } from '../dsl/plan';
import { isGoalHit, recordConversion } from '../analytics/record-conversion';
import { enroll, toFunnelEvent } from './enroll';
import { admitsTraffic } from './drafts';
import { parseJsonObject } from '../db/json';
import { parseTouchEvent } from '../../workflows/touch-events';
import { recordEngagement } from '../db/deliveries';
import { recordOrder } from '../money/record-order';

/** An event as the API accepts it. */
export const EventInput = z.object({
  contactId: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  email: EmailAddress.optional(),
  phone: PhoneNumber.optional(),
  name: EventName.max(200),
  properties: z.record(z.string(), z.unknown()).refine((p) => JSON.stringify(p).length <= 16_384, 'properties must be at most 16 KiB of JSON').optional(),
  value: z.number().finite().optional(),
  occurredAt: z.iso.datetime({ offset: true, message: 'occurredAt must be an ISO 8601 date-time' }).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** Where the contact came from this time (utm_*, referrer, landing URL): their latest source, and first when none yet. */
  source: LeadSource.optional(),
}).strict().refine((e) => e.contactId ?? e.externalId ?? e.email ?? e.phone, { message: 'one of contactId, externalId, email, phone is required' })
  .meta({ anyOf: [{ required: ['contactId'] }, { required: ['externalId'] }, { required: ['email'] }, { required: ['phone'] }] });
export type EventInput = z.infer<typeof EventInput>;

/** What ingestion answers: the stored event's id, whether it was a duplicate, whether it reached the workflows yet. */
export interface IngestResult {
  id: string;
  duplicate: boolean;
  /** False when Temporal could not be reached: the event is stored and is dispatched by the server's sweep. */
  dispatched: boolean;
}

/**
 * Stores an event once per idempotency key and dispatches it. Once stored, an event is accepted: if Temporal
 * is unreachable the dispatch is left to the sweep (`redispatchPending`) instead of failing the request.
 */
export async function ingestEvent(deps: EngineDeps, input: EventInput): Promise<IngestResult> {
  const contact = await findContact(deps.db, input);
  if (!contact) throw new NotFoundError('contact', input.contactId ?? input.externalId ?? input.email ?? input.phone ?? '');
  if (input.idempotencyKey) {
    const existing = await deps.db.selectFrom('events').selectAll().where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (existing) {
      const dispatched = existing.dispatched_at !== null || (await tryDispatch(deps, existing));
      return { id: existing.id, duplicate: true, dispatched };
    }
  }
  const now = deps.now();
  if (hasSource(input.source)) await recordLeadSource(deps.db, contact, input.source, now);
  const row = await deps.db.insertInto('events').values({
    id: newId('ev'), contact_id: contact.id, name: input.name, properties: JSON.stringify(input.properties ?? {}),
    value: input.value ?? null, idempotency_key: input.idempotencyKey ?? null,
    occurred_at: input.occurredAt ? Date.parse(input.occurredAt) : now, received_at: now, dispatched_at: null,
  }).returningAll().executeTakeFirstOrThrow();
  return { id: row.id, duplicate: false, dispatched: await tryDispatch(deps, row) };
}

async function tryDispatch(deps: EngineDeps, row: EventRow): Promise<boolean> {
  try {
    await dispatchEvent(deps, row);
    return true;
  } catch (err) {
    if (!(err instanceof UnavailableError)) throw err;
    deps.log.warn('event stored, dispatch postponed: temporal unavailable', { event: row.id, name: row.name, error: err.message });
    return false;
  }
}

/**
 * Applies a stored event everywhere it matters, each part idempotent so it can be redone after a crash:
 * touch engagement on the ledger, goal conversions, signals to active enrollments, entry enrollments (a draft
 * funnel's entry admits test contacts only).
 */
export async function dispatchEvent(deps: EngineDeps, event: EventRow): Promise<void> {
  const { db } = deps;
  const touch = parseTouchEvent(event.name);
  if (touch) {
    const funnelId = (JSON.parse(event.properties) as { funnelId?: unknown }).funnelId;
    await recordEngagement(db, {
      contactId: event.contact_id, touchId: touch.touchId, what: touch.suffix, at: event.occurred_at,
      funnelId: typeof funnelId === 'string' ? funnelId : undefined,
    });
  }

  // Enrollments this event can still matter to: active ones (signalled) and every one that began before it — a
  // finished enrollment can still convert inside its goal window, a converted one counts later goal events as repeats.
  const enrollments = await db.selectFrom('enrollments').selectAll().where('contact_id', '=', event.contact_id)
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('enrolled_at', '<=', event.occurred_at)])).execute();
  const converted = new Set<string>();
  for (const e of enrollments) {
    const plan = await deps.funnels.planAt(db, e.funnel_id, e.version);
    if (!isGoalHit(plan.goal, e, event)) continue;
    if (await recordConversion(db, plan.goal, e, event, plan.attribution)) converted.add(e.id);
    await recordOrder(db, plan.goal, e, event, plan.attribution);
  }
  for (const e of enrollments.filter((x) => x.status === 'active')) {
    await deps.gateway.signal(e.workflow_id, toFunnelEvent(event, converted.has(e.id)));
  }
  // A form submission enters only the funnel whose form was sent, even when several funnels start on `form.submitted`.
  const formOf = event.name === 'form.submitted' ? (parseJsonObject(event.properties) as { funnelId?: unknown }).funnelId : undefined;
  for (const f of deps.funnels.enteredBy(event.name)) {
    if (typeof formOf === 'string' && formOf !== f.plan.id) continue;
    if (!(await admitsTraffic(db, f.plan, event.contact_id))) {
      deps.log.info('draft funnel: only test contacts enter it from traffic', { funnel: f.plan.id, contact: event.contact_id, event: event.name });
      continue;
    }
    await enroll(deps, f.plan.id, event.contact_id, event);
  }
  await db.updateTable('events').set({ dispatched_at: deps.now() }).where('id', '=', event.id).execute();
}

/** Dispatches events a crash left undispatched (oldest first); returns how many. */
export async function redispatchPending(deps: EngineDeps, olderThanMs = 0): Promise<number> {
  const rows = await deps.db.selectFrom('events').selectAll().where('dispatched_at', 'is', null)
    .where('received_at', '<=', deps.now() - olderThanMs).orderBy('received_at').limit(1000).execute();
  for (const row of rows) await dispatchEvent(deps, row);
  return rows.length;
}
