import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { EventInput, acceptEvent } from '../../engine/ingest-event';
import { EventBatch, acceptBatch, type BatchResult } from '../../engine/accept-batch';
import { ApiHttpError, errorBody, issueDetails, zodFailure, type ErrorBody } from '../error-response';
import { ValidationError } from '../../errors';
import { readJson } from './validate';

/** The largest batch body: room for 1,000 events of 4 KiB each. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

/** A refused event of a batch as the error body `POST /api/events` would have answered for it. */
function refusal(result: Extract<BatchResult, { refused: unknown }>): ErrorBody {
  const err = result.refused;
  if (err instanceof z.core.$ZodError) {
    const failure = zodFailure(err, 'event');
    const code = failure instanceof ApiHttpError || failure instanceof ValidationError ? failure.code : 'validation_failed';
    return errorBody(code, failure.message, issueDetails(err.issues));
  }
  return errorBody('not_found', err.message, { what: err.what, id: err.id });
}

/**
 * `POST /events`: stores the event once per idempotency key and answers 202 `{id, duplicate, dispatched}`; the dispatcher
 * applies it. `POST /events/batch`: up to 1,000 such events in one transaction, answered 202 `{results: [...]}` in order.
 */
export function eventRoutes(deps: EngineDeps): Hono {
  return new Hono()
    .post('/', async (c) => {
      const input = await readJson(c, EventInput);
      return c.json(await acceptEvent(deps, input), 202);
    })
    .post('/batch', bodyLimit({
      maxSize: MAX_BATCH_BODY_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', `the request body exceeds ${MAX_BATCH_BODY_BYTES} bytes`), 413),
    }), async (c) => {
      const batch = await readJson(c, EventBatch);
      const results = await acceptBatch(deps, batch);
      return c.json({ results: results.map((r) => ('refused' in r ? refusal(r) : r)) }, 202);
    });
}
