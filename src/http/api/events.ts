import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { EventInput, acceptEvent } from '../../engine/ingest-event';
import { readJson } from './validate';

/** `POST /events`: stores the event once per idempotency key and answers 202 `{id, duplicate, dispatched}`; the dispatcher applies it. */
export function eventRoutes(deps: EngineDeps): Hono {
  return new Hono().post('/', async (c) => {
    const input = await readJson(c, EventInput);
    return c.json(await acceptEvent(deps, input), 202);
  });
}
