import type { VersionedPlan } from '../../../db/funnels';
import type { Ctx, DashboardApp, RouteKit } from '../context';
import { csvResponse } from '../csv';
import { parseDateRange, type DateRange } from '../date-range';
import { parseModel } from '../query';
import { funnelKpis, reasonCounts } from '../data/funnel-data';
import { planFlowCounts } from '../data/plan-flow';
import { kpiSpec, reasonsSpec, touchSpec } from '../components/funnel-tables';
import { holdoutSpec, splitRows, splitSpec } from '../components/experiments-panels';
import { OverviewPage } from '../pages/overview';
import { FunnelPage } from '../pages/funnel';
import { MessagePage } from '../pages/message';

/** The overview, each funnel's page, and the CSV of every table on them. */
export function funnelRoutes(app: DashboardApp, kit: RouteKit): void {
  const { deps } = kit;
  const allKpis = () => Promise.all(deps.funnels.all().map((f) => funnelKpis(deps.db, f)));

  /** The funnel named in the path with the query's range and model, or a 404 page. */
  const withFunnel = async (c: Ctx, then: (funnel: VersionedPlan, range: DateRange, model: ReturnType<typeof parseModel>) => Promise<Response>) => {
    const funnel = deps.funnels.get(c.req.param('id') ?? '');
    if (!funnel) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.funnelNotFound} />, 404);
    }
    const range = parseDateRange(c.req.query('from'), c.req.query('to'), funnel.plan.timezone);
    return then(funnel, range, parseModel(c.req.query('model')));
  };
  const suffix = (range: DateRange) => [range.input.from, range.input.to].filter(Boolean).join('_');
  const file = (id: string, table: string, ...parts: string[]) => `${[id, table, ...parts].filter(Boolean).join('-')}.csv`;

  app.get('/dashboard', async (c) => c.html(<OverviewPage ctx={kit.page(c, true)} funnels={await allKpis()} refusals={deps.funnels.refusals()} />));

  app.get('/dashboard/funnels.csv', async (c) => csvResponse(c, 'funnels.csv', kpiSpec(kit.lang(c)), await allKpis()));

  app.get('/dashboard/funnels/:id', (c) => withFunnel(c, async (funnel, range, { model, invalid }) => {
    const [kpis, experiments] = await Promise.all([funnelKpis(deps.db, funnel, range, model), deps.experiments(deps.db, funnel.plan, range)]);
    const flow = await planFlowCounts(deps.db, funnel.plan, range, kpis.stats, experiments);
    const view = { funnel: kpis, plan: funnel.plan, model, badModel: invalid, range: range.input, flow, experiments, refusals: deps.funnels.refusals(funnel.plan.id) };
    return c.html(<FunnelPage ctx={kit.page(c, true)} view={view} />);
  }));

  app.get('/dashboard/funnels/:id/touches.csv', (c) => withFunnel(c, async (funnel, range, { model }) => {
    const kpis = await funnelKpis(deps.db, funnel, range, model);
    return csvResponse(c, file(funnel.plan.id, 'touches', model, suffix(range)), touchSpec(kit.lang(c)), kpis.stats.touches);
  }));

  app.get('/dashboard/funnels/:id/reasons.csv', (c) => withFunnel(c, async (funnel, range) => {
    const kpis = await funnelKpis(deps.db, funnel, range);
    return csvResponse(c, file(funnel.plan.id, 'reasons', suffix(range)), reasonsSpec(kit.lang(c)), reasonCounts(kpis.stats.touches));
  }));

  app.get('/dashboard/funnels/:id/splits.csv', (c) => withFunnel(c, async (funnel, range) => {
    const report = await deps.experiments(deps.db, funnel.plan, range);
    return csvResponse(c, file(funnel.plan.id, 'splits', suffix(range)), splitSpec(kit.lang(c)), report ? splitRows(report) : []);
  }));

  app.get('/dashboard/funnels/:id/holdouts.csv', (c) => withFunnel(c, async (funnel, range) => {
    const report = await deps.experiments(deps.db, funnel.plan, range);
    return csvResponse(c, file(funnel.plan.id, 'holdouts', suffix(range)), holdoutSpec(kit.lang(c)), report?.holdouts ?? []);
  }));
}
