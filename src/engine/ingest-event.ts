import { z } from 'zod';
import type { EngineDeps } from './deps';
import type { EventRow } from '../db/schema';
import type { FunnelEvent } from '../../workflows/types';
import { UnavailableError } from '../errors';
import { storeEvent, type StoredEvent } from './store-event';
import { findContact, recordLeadSource } from '../db/contacts';
import { hasSource, LeadSource } from '../contacts/lead-source';
import { EmailAddress, PhoneNumber } from '../contacts/input';
import { EventName } from '../dsl/plan';
import { isGoalHit, recordConversion } from '../analytics/record-conversion';
import { keyMatches } from './reentry';
import { enroll, toFunnelEvent } from './enroll';
import { admitsTraffic } from './drafts';
import { parseJsonObject } from '../db/json';
import { parseTouchEvent, type TouchEventSuffix } from '../../workflows/touch-events';
import { emitReferralConversions } from '../referrals/referral-conversions';
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
  /** False while the event is not dispatched yet (the dispatcher applies it soon; with Temporal unreachable, once it is back). */
  dispatched: boolean;
}

/**
 * Stores an event once per idempotency key and answers at once: the dispatcher applies it (`POST /api/events`). Without
 * a dispatcher (tests, the simulator) it is dispatched before answering, as `ingestEvent` does.
 */
export async function acceptEvent(deps: EngineDeps, input: EventInput): Promise<IngestResult> {
  if (!deps.dispatcher) return ingestEvent(deps, input);
  const { row, duplicate } = await store(deps, input);
  if (row.dispatched_at === null) deps.dispatcher.wake();
  return { id: row.id, duplicate, dispatched: row.dispatched_at !== null };
}

/**
 * Stores an event once per idempotency key and dispatches it before answering (tracking, webhooks, pages: the
 * customer's own action reaches the workflows at once). With the server's dispatcher it goes through the contact's
 * lane, after the contact's earlier events. Once stored, an event is accepted: if Temporal is unreachable the dispatch
 * is left to the dispatcher (without one: to `redispatchPending`) instead of failing the call.
 */
export async function ingestEvent(deps: EngineDeps, input: EventInput): Promise<IngestResult> {
  const { row, duplicate } = await store(deps, input);
  if (row.dispatched_at !== null) return { id: row.id, duplicate, dispatched: true };
  if (deps.dispatcher) {
    await deps.dispatcher.dispatchContact(row.contact_id);
    const now = await deps.db.selectFrom('events').select('dispatched_at').where('id', '=', row.id).executeTakeFirst();
    return { id: row.id, duplicate, dispatched: now?.dispatched_at != null };
  }
  return { id: row.id, duplicate, dispatched: await tryDispatch(deps, row) };
}

/** Whether no funnel could care about an event of this name for a contact without enrollments: none enters by it, no touch owns it. */
export function concernsNoFunnel(deps: Pick<EngineDeps, 'funnels'>, name: string): boolean {
  return !parseTouchEvent(name) && deps.funnels.enteredBy(name).length === 0;
}

/** Stores the event (grouped by the EventWriter when there is one); a new event's `source` becomes the contact's latest (and first, when none yet). */
async function store(deps: EngineDeps, input: EventInput): Promise<StoredEvent> {
  const settled = concernsNoFunnel(deps, input.name);
  const stored = await (deps.eventWriter ? deps.eventWriter.store(input, deps.now(), settled) : storeEvent(deps.db, input, deps.now(), settled));
  if (!stored.duplicate && hasSource(input.source)) {
    const contact = await findContact(deps.db, { contactId: stored.row.contact_id });
    if (contact) await recordLeadSource(deps.db, contact, input.source, deps.now());
  }
  return stored;
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

/** Where an applied event's signals go: to Temporal at once, or gathered and sent together. */
type SignalSink = (workflowId: string, event: FunnelEvent) => Promise<void>;

/** The most events one `events` signal carries (each may hold 16 KiB of properties; Temporal caps a payload at 2 MB). */
const EVENTS_PER_SIGNAL = 50;

/**
 * Applies a stored event everywhere it matters, each part idempotent so it can be redone after a crash:
 * touch engagement on the ledger, goal conversions, signals to active enrollments, `referral.converted` to the
 * referrer of a contact this goal converted, entry enrollments (a draft funnel's entry admits test contacts only).
 */
export async function dispatchEvent(deps: EngineDeps, event: EventRow): Promise<void> {
  await applyEvent(deps, event, (workflowId, e) => deps.gateway.signal(workflowId, e));
  await markApplied(deps, [event.id]);
}

/**
 * Applies one contact's events in order, as `dispatchEvent` would one by one, but sends each workflow its events in
 * as few signals as possible (one per 50), in order, and marks them dispatched after the last signal went out.
 */
export async function dispatchEvents(deps: EngineDeps, events: EventRow[]): Promise<void> {
  const gathered = new Map<string, FunnelEvent[]>();
  for (const event of events) {
    await applyEvent(deps, event, async (workflowId, e) => {
      const list = gathered.get(workflowId) ?? [];
      list.push(e);
      gathered.set(workflowId, list);
    });
  }
  for (const [workflowId, list] of gathered) {
    for (let i = 0; i < list.length; i += EVENTS_PER_SIGNAL) {
      const chunk = list.slice(i, i + EVENTS_PER_SIGNAL);
      if (chunk.length === 1 || !deps.gateway.signalMany) for (const e of chunk) await deps.gateway.signal(workflowId, e);
      else await deps.gateway.signalMany(workflowId, chunk);
    }
  }
  await markApplied(deps, events.map((e) => e.id));
}

async function markApplied(deps: EngineDeps, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await deps.db.updateTable('events').set({ dispatched_at: deps.now(), dispatch_lease_until: null }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}

async function applyEvent(deps: EngineDeps, event: EventRow, signal: SignalSink): Promise<void> {
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
    if (!isGoalHit(plan.goal, e, event) || !keyMatches(plan.reentry, e, event)) continue;
    if (await recordConversion(db, plan.goal, e, event, plan.attribution)) converted.add(e.id);
    await recordOrder(db, plan.goal, e, event, plan.attribution);
  }
  for (const e of enrollments.filter((x) => x.status === 'active')) {
    await signal(e.workflow_id, toFunnelEvent(event, converted.has(e.id)));
  }
  await emitReferralConversions(deps, event, enrollments.filter((e) => converted.has(e.id)));
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
}

/** Dispatches events left undispatched (oldest first) where no dispatcher runs (tests); returns how many. */
export async function redispatchPending(deps: EngineDeps, olderThanMs = 0): Promise<number> {
  const rows = await deps.db.selectFrom('events').selectAll().where('dispatched_at', 'is', null)
    .where('received_at', '<=', deps.now() - olderThanMs).orderBy('received_at').orderBy('id').limit(1000).execute();
  for (const row of rows) await dispatchEvent(deps, row);
  return rows.length;
}
