import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { ATTRIBUTION_MODELS } from '../../analytics/attribution-models';
import { staffStats } from '../../analytics/staff-stats';
import { NotFoundError } from '../../errors';
import { periodBound } from './stats';
import { readQuery } from './validate';

/** The query of `GET /api/staff`: one funnel (else all), a [from, to) period, an attribution model. */
export const StaffQuery = z.object({
  funnelId: z.string().min(1).optional(),
  from: periodBound('from').optional(),
  to: periodBound('to').optional(),
  model: z.enum(ATTRIBUTION_MODELS).default('last_touch'),
}).strict().refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** `GET /staff`: per staff member, touches logged, conversions credited and speed to lead over a period. */
export function staffRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/', async (c) => {
    const query = readQuery(c, StaffQuery);
    if (query.funnelId !== undefined && !deps.funnels.get(query.funnelId)) throw new NotFoundError('funnel', query.funnelId);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return c.json({
      funnelId: query.funnelId ?? null, model: query.model, from: iso(query.from), to: iso(query.to),
      staff: await staffStats(deps.db, query),
    });
  });
}
