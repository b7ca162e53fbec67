import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { ATTRIBUTION_MODELS, funnelStats } from '../../analytics/funnel-stats';
import { NotFoundError } from '../../errors';
import { readQuery } from './validate';
import { journeyStats, type JourneyStats } from '../../analytics/journeys';
import { parseGroupBy } from '../../money/group-key';
import { funnelMoney } from '../../money/funnel-money';
import { attributeRolledUp, rollUpAttribute } from '../../money/money-rollups';
import { FREE_MESSAGES, type MessageCosts } from '../../money/money-figures';
import { Currency, DEFAULT_CURRENCY } from '../../money/minor-units';
import { FAR_FUTURE } from '../../analytics/periods';
import { funnelCohorts } from '../../money/cohorts';

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

const GroupByParam = z.string().transform((s, ctx) => {
  const g = parseGroupBy(s);
  if (!g) {
    ctx.addIssue({ code: 'custom', message: 'groupBy is source, campaign or attribute:<name>' });
    return z.NEVER;
  }
  return g;
});

/**
 * The query of `GET /api/funnels/:funnelId/stats`: a [from, to) period, an attribution model (all five are stored),
 * optionally a grouping (`source`, `campaign`, `attribute:<name>`), a source filter and the currency of the money.
 */
export const StatsQuery = z.object({
  from: periodBound('from').optional(),
  to: periodBound('to').optional(),
  model: z.enum(ATTRIBUTION_MODELS).default('last_touch'),
  groupBy: GroupByParam.optional(),
  source: z.string().trim().min(1).max(200).transform((s) => s.toLowerCase()).optional(),
  currency: z.string().trim().toUpperCase().pipe(Currency).default(DEFAULT_CURRENCY),
  money: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
  journeys: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
}).refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** The query of `GET /api/funnels/:funnelId/cohorts`: the enrollment period and the currency. */
export const CohortsQuery = z.object({
  from: periodBound('from').optional(),
  to: periodBound('to').optional(),
  currency: z.string().trim().toUpperCase().pipe(Currency).default(DEFAULT_CURRENCY),
}).refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** The journey figures without the funnel and period the stats already name. */
function touchesBeforePurchase(j: JourneyStats): Omit<JourneyStats, 'funnelId' | 'from' | 'to'> {
  const { funnelId: _f, from: _a, to: _b, ...rest } = j;
  return rest;
}

/**
 * `GET /funnels/:funnelId/stats`: enrollment, ledger and attributed-conversion counts of the funnel over a period, from
 * the rollups (from the raw tables with `?source=`); with `?money=true` its money (revenue of every order, cost, ROMI), with `?groupBy=` its groups,
 * with `?journeys=true` the touches (every funnel, automated and staff, by channel and as a distribution) before its purchases;
 * `GET /funnels/:funnelId/cohorts`: enrollment weeks × cumulative conversions and revenue by week since enrollment;
 * `GET /funnels/:funnelId/journeys`: the touches of every funnel, by channel, before its purchases.
 */
export function statsRoutes(deps: EngineDeps & { messageCosts?: MessageCosts | undefined }): Hono {
  return new Hono().get('/:funnelId/stats', async (c) => {
    const funnelId = c.req.param('funnelId');
    const funnel = deps.funnels.get(funnelId);
    if (!funnel) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, StatsQuery);
    const stats = await funnelStats(deps.db, funnel.plan, query);
    const journeys = query.journeys ? { touchesBeforePurchase: touchesBeforePurchase(await journeyStats(deps.db, funnelId, query)) } : {};
    if (!query.money && !query.groupBy) return c.json({ ...stats, ...journeys }); // without either, the answer callers had before money existed
    const scope = { funnelId, from: query.from ?? 0, to: query.to ?? FAR_FUTURE, currency: query.currency, source: query.source };
    // An attribute the funnel declares is rolled up from its first grouped read on (a one-off backfill); others stay raw.
    if (query.groupBy?.kind === 'attribute' && funnel.plan.attributes.includes(query.groupBy.name) && !await attributeRolledUp(deps.db, query.groupBy.name)) {
      await rollUpAttribute(deps.db, query.groupBy.name);
    }
    const { money, groups } = await funnelMoney(deps.db, scope, deps.messageCosts ?? FREE_MESSAGES, query.model, stats.touches, query.groupBy);
    return c.json({ ...stats, ...(query.money && { money }), ...(groups && { groups }), ...journeys });
  }).get('/:funnelId/cohorts', async (c) => {
    const funnelId = c.req.param('funnelId');
    if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId);
    const query = readQuery(c, CohortsQuery);
    const cohorts = await funnelCohorts(deps.db, funnelId, query.from ?? 0, query.to ?? FAR_FUTURE, query.currency);
    return c.json({ funnelId, currency: query.currency, cohorts });
  }).get('/:funnelId/journeys', async (c) => {
    const funnelId = c.req.param('funnelId');
    if (!deps.funnels.get(funnelId)) throw new NotFoundError('funnel', funnelId);
    return c.json(await journeyStats(deps.db, funnelId, readQuery(c, PeriodQuery)));
  });
}
