import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { funnelAnswers } from '../../analytics/answer-stats';
import { NotFoundError } from '../../errors';
import { readQuery } from './validate';
import { PeriodQuery } from './stats';

/** `GET /funnels/:funnelId/answers`: the funnel's NPS and each ask's answers (distribution, average, comments) over a period. */
export function answerRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:funnelId/answers', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, PeriodQuery);
    return c.json(await funnelAnswers(deps.db, funnel.plan, query));
  });
}
