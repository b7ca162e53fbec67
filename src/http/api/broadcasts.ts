import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { NotFoundError } from '../../errors';
import { BroadcastRequest, DEFAULT_RATE_PER_SECOND } from '../../broadcasts/filter';
import { broadcastView, createBroadcast, dryRunBroadcast, funnelBroadcasts } from '../../broadcasts/create-broadcast';
import { readJson } from './validate';

/**
 * `POST /funnels/:funnelId/broadcasts` (dry run: 200 with the exact count; else 202 with the broadcast and its
 * progress, `Location: /api/broadcasts/<id>`) and `GET /funnels/:funnelId/broadcasts` (newest first).
 */
export function funnelBroadcastRoutes(deps: EngineDeps): Hono {
  return new Hono()
    .post('/:funnelId/broadcasts', async (c) => {
      const funnel = deps.funnels.get(c.req.param('funnelId'));
      if (!funnel) throw new NotFoundError('funnel', c.req.param('funnelId'));
      const body = await readJson(c, BroadcastRequest);
      const filter = body.filter ?? {};
      if (body.dryRun) return c.json(await dryRunBroadcast(deps, funnel, filter), 200);
      const created = await createBroadcast(deps, funnel, filter, body.ratePerSecond ?? DEFAULT_RATE_PER_SECOND);
      c.header('location', `/api/broadcasts/${created.id}`);
      return c.json(created, 202);
    })
    .get('/:funnelId/broadcasts', async (c) => {
      const funnelId = c.req.param('funnelId');
      if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId);
      return c.json(await funnelBroadcasts(deps, funnelId));
    });
}

/** `GET /broadcasts/:id`: one broadcast's progress (pending, enrolled, skipped by reason, done). */
export function broadcastRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:id', async (c) => c.json(await broadcastView(deps, c.req.param('id'))));
}
