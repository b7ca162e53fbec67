import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { NotFoundError } from '../../errors';
import { enrollmentDetail } from './views';

/** `GET /enrollments/:id`: status, the running workflow's current step, and the timeline of deliveries and events. */
export function enrollmentRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:id', async (c) => {
    const id = c.req.param('id');
    const row = await deps.db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('enrollment', id);
    return c.json(await enrollmentDetail(deps, row));
  });
}
