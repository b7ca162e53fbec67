import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { ATTRIBUTION_MODELS, STORED_MODELS, funnelStats } from '../../analytics/funnel-stats';
import { NotFoundError, ValidationError } from '../../errors';
import { readQuery } from './validate';

const DAY_MS = 86_400_000;
const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });

/** An ISO date or date-time as epoch ms; a bare date `to` means the end of that (UTC) day, so the range includes it. */
function bound(name: 'from' | 'to') {
  return z.string().transform((s, ctx) => {
    if (IsoDate.safeParse(s).success) return Date.parse(`${s}T00:00:00Z`) + (name === 'to' ? DAY_MS : 0);
    if (IsoDateTime.safeParse(s).success) return Date.parse(s);
    ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T12:00:00Z)` });
    return z.NEVER;
  });
}

/** The query of `GET /api/funnels/:funnelId/stats`: a [from, to) period and an attribution model. */
export const StatsQuery = z.object({
  from: bound('from').optional(),
  to: bound('to').optional(),
  model: z.enum(ATTRIBUTION_MODELS).default('last_touch'),
}).refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** `GET /funnels/:funnelId/stats`: enrollment, ledger and attributed-conversion counts of the funnel over a period. */
export function statsRoutes(deps: EngineDeps): Hono {
  return new Hono().get('/:funnelId/stats', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, StatsQuery);
    if (!STORED_MODELS.includes(query.model)) {
      throw new ValidationError(
        `attribution model ${JSON.stringify(query.model)} is not available yet; available: ${STORED_MODELS.join(', ')}`,
        { model: query.model, available: STORED_MODELS }, 'model_not_available',
      );
    }
    return c.json(await funnelStats(deps.db, funnel.plan, query));
  });
}
