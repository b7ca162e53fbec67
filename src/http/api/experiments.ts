import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { experiments } from '../../analytics/experiments';
import { NotFoundError } from '../../errors';
import { PeriodQuery } from './stats';
import { readQuery } from './validate';

/** `GET /funnels/:funnelId/experiments?from&to`: each split's variants and each holdout's lift over a period. */
export function experimentRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:funnelId/experiments', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, PeriodQuery);
    return c.json(await experiments(deps.db, funnel.plan, query));
  });
}
