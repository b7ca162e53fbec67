import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { EventInput, ingestEvent } from '../../engine/ingest-event';
import { readJson } from './validate';

/** `POST /events`: stores the event once per idempotency key, dispatches it, answers 202 `{id, duplicate}`. */
export function eventRoutes(deps: EngineDeps): Hono {
  return new Hono().post('/', async (c) => {
    const input = await readJson(c, EventInput);
    return c.json(await ingestEvent(deps, input), 202);
  });
}
