import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { ATTRIBUTION_MODELS, funnelStats } from '../../analytics/funnel-stats';
import { NotFoundError } from '../../errors';
import { readQuery } from './validate';
import { journeyStats } from '../../analytics/journeys';

const DAY_MS = 86_400_000;
const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });

/** An ISO date or date-time as epoch ms; a bare date `to` means the end of that (UTC) day, so the range includes it. */
export function periodBound(name: 'from' | 'to') {
  return z.string().transform((s, ctx) => {
    if (IsoDate.safeParse(s).success) return Date.parse(`${s}T00:00:00Z`) + (name === 'to' ? DAY_MS : 0);
    if (IsoDateTime.safeParse(s).success) return Date.parse(s);
    ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T12:00:00Z)` });
    return z.NEVER;
  });
}

/** A [from, to) period query: both ends optional, from before to. */
export const PeriodQuery = z.object({ from: periodBound('from').optional(), to: periodBound('to').optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** The query of `GET /api/funnels/:funnelId/stats`: a [from, to) period and an attribution model (all five are stored). */
export const StatsQuery = z.object({
  from: periodBound('from').optional(),
  to: periodBound('to').optional(),
  model: z.enum(ATTRIBUTION_MODELS).default('last_touch'),
}).refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/**
 * `GET /funnels/:funnelId/stats`: enrollment, ledger and attributed-conversion counts of the funnel over a period, from
 * the rollups; `GET /funnels/:funnelId/journeys`: the touches of every funnel, by channel, before its purchases.
 */
export function statsRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:funnelId/stats', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, StatsQuery);
    return c.json(await funnelStats(deps.db, funnel.plan, query));
  }).get('/:funnelId/journeys', async (c) => {
    const funnelId = c.req.param('funnelId');
    if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId);
    return c.json(await journeyStats(deps.db, funnelId, readQuery(c, PeriodQuery)));
  });
}
