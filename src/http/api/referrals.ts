import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { NotFoundError } from '../../errors';
import { referralStats } from '../../referrals/referral-stats';

/** `GET /funnels/:funnelId/referrals`: referrals made by the funnel's members, referred contacts signed up, converted, their revenue. */
export function referralRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:funnelId/referrals', async (c) => {
    const funnelId = c.req.param('funnelId');
    if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId);
    return c.json(await referralStats(deps.db, funnelId));
  });
}
