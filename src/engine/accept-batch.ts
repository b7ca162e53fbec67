import { z } from 'zod';
import type { EngineDeps } from './deps';
import type { EventRow } from '../db/schema';
import { NotFoundError, UnavailableError } from '../errors';
import { EventInput, concernsNoFunnel, dispatchEvent, type IngestResult } from './ingest-event';
import { storeEvent } from './store-event';
import { hasSource } from '../contacts/lead-source';
import { findContact, recordLeadSource } from '../db/contacts';

/** The most events one batch may carry. */
export const MAX_BATCH_EVENTS = 1000;

/** A batch as `POST /api/events/batch` accepts it: each element is checked on its own, as `POST /api/events` would. */
export const EventBatch = z.object({
  events: z.array(z.unknown()).max(MAX_BATCH_EVENTS, `a batch carries at most ${MAX_BATCH_EVENTS} events`),
}).strict();
export type EventBatch = z.infer<typeof EventBatch>;

/** One event's outcome in a batch: what `POST /api/events` answers, or why it was refused (the HTTP layer words it). */
export type BatchResult = IngestResult | { refused: z.core.$ZodError | NotFoundError };

/**
 * Stores a batch of events in one transaction and answers each event's result in order: `{id, duplicate, dispatched}`
 * for a stored (or already known) event, the error body `POST /api/events` would answer for an invalid one or one
 * whose contact is unknown — those are not stored, the valid ones are. Idempotency keys hold across batches and
 * inside one (a repeated key answers the first event); a new event's `source` is recorded on its contact like a single
 * event's, in the same transaction. The dispatcher applies the stored events afterwards.
 */
export async function acceptBatch(deps: EngineDeps, batch: EventBatch): Promise<BatchResult[]> {
  const parsed = batch.events.map((e) => EventInput.safeParse(e));
  const now = deps.now();
  type Stored = { row: EventRow; duplicate: boolean } | { refused: z.core.$ZodError | NotFoundError };
  const stored: Stored[] = await deps.db.transaction().execute(async (trx) => {
    const out: Stored[] = [];
    for (const p of parsed) {
      if (!p.success) {
        out.push({ refused: p.error });
        continue;
      }
      try {
        const s = await storeEvent(trx, p.data, now, concernsNoFunnel(deps, p.data.name));
        out.push(s);
        // As POST /api/events does: a new event's source becomes the contact's latest (and first, when none yet), in batch order.
        if (!s.duplicate && hasSource(p.data.source)) {
          const contact = await findContact(trx, { contactId: s.row.contact_id });
          if (contact) await recordLeadSource(trx, contact, p.data.source, now);
        }
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        out.push({ refused: err });
      }
    }
    return out;
  });
  const results: BatchResult[] = stored.map((s) => ('refused' in s ? s : { id: s.row.id, duplicate: s.duplicate, dispatched: s.row.dispatched_at !== null }));
  if (deps.dispatcher) {
    if (results.some((r) => 'id' in r && !r.dispatched)) deps.dispatcher.wake();
    return results;
  }
  // Without a dispatcher (tests, the simulator) each new event is applied before answering, in order.
  for (const [i, s] of stored.entries()) {
    if ('refused' in s || s.row.dispatched_at !== null) continue;
    try {
      await dispatchEvent(deps, s.row);
      results[i] = { id: s.row.id, duplicate: s.duplicate, dispatched: true };
    } catch (err) {
      if (!(err instanceof UnavailableError)) throw err;
    }
  }
  return results;
}
