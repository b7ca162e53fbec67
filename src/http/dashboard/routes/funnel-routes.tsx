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
import { FunnelPage, touchSubjects } from '../pages/funnel';
import { MessagePage } from '../pages/message';
import { fill } from '../i18n';
import { formCsrfOk } from '../session';
import { candidatesOf } from '../../../activities/touch-candidates';
import { touchesOf } from '../../../dsl/plan';
import { sendTestTouch } from '../../../samples/send-test';
import { funnelHref, hrefWith } from '../query';
import { referralStats } from '../../../referrals/referral-stats';
import { funnelAnswers } from '../../../analytics/answer-stats';
import { walkSteps } from '../../../dsl/plan';
import { referralSpec } from '../components/referrals-panel';
import { statsVersionOf, versionsView } from '../data/versions-data';
import { parseMapField } from '../components/versions-panel';
import { startMigration } from '../../../versions/start-migration';
import { staffStats } from '../../../analytics/staff-stats';
import { staffSpec } from '../components/staff-tables';
import { funnelMoney } from '../../../money/funnel-money';
import { DEFAULT_CURRENCY } from '../../../money/minor-units';
import { FAR_FUTURE } from '../../../analytics/periods';
import { journeyStats } from '../../../analytics/journeys';
import { conversionSeries } from '../data/conversion-series';

/** Each touch step of the funnel with the channels it has content for (its primary first): what a test can go to. */
function sendableTouches(funnel: VersionedPlan): Map<string, string[]> {
  return new Map(touchesOf(funnel.plan.steps).map((t) => [t.id, [...new Set(candidatesOf(t).map((c) => c.channel))]]));
}

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
    const version = await statsVersionOf(deps, c, funnel.plan.id);
    const [kpis, experiments] = await Promise.all([funnelKpis(deps.db, funnel, range, model, version), deps.experiments(deps.db, funnel.plan, range)]);
    const flow = await planFlowCounts(deps.db, funnel.plan, range, kpis.stats, experiments);
    const staff = await staffStats(deps.db, { funnelId: funnel.plan.id, from: range.from, to: range.to, model });
    const scope = { funnelId: funnel.plan.id, from: range.from ?? 0, to: range.to ?? FAR_FUTURE, currency: DEFAULT_CURRENCY };
    const { money } = await funnelMoney(deps.db, scope, deps.messageCosts, model, kpis.stats.touches);
    const journeys = await journeyStats(deps.db, funnel.plan.id, range);
    const series = await conversionSeries(deps.db, funnel.plan.id, funnel.plan.timezone, range);
    const ctx = kit.page(c, true);
    const testSend = deps.testSend ? { csrf: ctx.csrf, funnelId: funnel.plan.id, channels: sendableTouches(funnel) } : undefined;
    const referrals = await referralStats(deps.db, funnel.plan.id);
    const versions = await versionsView(deps, c, funnel, version);
    const answers = [...walkSteps(funnel.plan.steps)].some((s) => s.type === 'ask') ? await funnelAnswers(deps.db, funnel.plan, range) : undefined;
    const view = { funnel: kpis, plan: funnel.plan, model, badModel: invalid, range: range.input, flow, money, experiments, refusals: deps.funnels.refusals(funnel.plan.id), testSend, notice: testNotice(c), referrals, versions, staff, answers, journeys, series };
    return c.html(<FunnelPage ctx={ctx} view={view} />);
  }));

  // Applies the migration the versions panel previewed (session + CSRF); the same checks as the API, nothing moved on an error.
  app.post('/dashboard/funnels/:id/migrations', async (c) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    const funnel = deps.funnels.get(c.req.param('id'));
    if (!funnel || !deps.engine) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.funnelNotFound} />, 404);
    }
    const from = typeof form.from === 'string' && form.from ? form.from : 'all';
    const map = typeof form.map === 'string' ? form.map : '';
    try {
      const started = await startMigration(deps.engine, funnel.plan.id, { from, map: parseMapField(map) });
      return c.redirect(`${hrefWith(funnelHref(funnel.plan.id), { migration: started.id })}#versions`, 303);
    } catch (err) {
      return c.redirect(`${hrefWith(funnelHref(funnel.plan.id), { migrationError: (err as Error).message, migrateFrom: from, map })}#versions`, 303);
    }
  });

  /** What the redirect after a test send says (sent, or why not), in the page's language. */
  const testNotice = (c: Ctx) => {
    const { m } = kit.lang(c);
    const touch = c.req.query('testTouch');
    if (!touch) return undefined;
    const error = c.req.query('testError');
    return error !== undefined
      ? { ok: false, text: fill(m.testFailed, { touch, reason: error }) }
      : { ok: true, text: fill(m.testSent, { touch, to: c.req.query('testTo') ?? '', channel: c.req.query('testChannel') ?? '' }) };
  };

  // The same test send as POST /api/funnels/:id/touches/:touchId/test, from the per-touch table (session + CSRF).
  app.post('/dashboard/funnels/:id/touches/:touchId/test', async (c) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    const funnel = deps.funnels.get(c.req.param('id'));
    if (!funnel || !deps.testSend) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.funnelNotFound} />, 404);
    }
    const touchId = c.req.param('touchId');
    const kind = form.kind === 'phone' || form.kind === 'telegramChatId' ? form.kind : 'email';
    const to = typeof form.to === 'string' ? form.to.trim() : '';
    const back = (query: Record<string, string>) => c.redirect(`${hrefWith(funnelHref(funnel.plan.id), { testTouch: touchId, ...query })}#touches`, 303);
    try {
      const sent = await sendTestTouch({ ...deps.testSend, db: deps.db, now: deps.now }, funnel, touchId, { to: { [kind]: to } });
      return back({ testTo: sent.to, testChannel: sent.channel });
    } catch (err) {
      return back({ testError: (err as Error).message });
    }
  });

  app.get('/dashboard/funnels/:id/staff.csv', (c) => withFunnel(c, async (funnel, range, { model }) => {
    const staff = await staffStats(deps.db, { funnelId: funnel.plan.id, from: range.from, to: range.to, model });
    return csvResponse(c, file(funnel.plan.id, 'staff', model, suffix(range)), staffSpec(kit.lang(c)), staff);
  }));

  app.get('/dashboard/funnels/:id/touches.csv', (c) => withFunnel(c, async (funnel, range, { model }) => {
    const kpis = await funnelKpis(deps.db, funnel, range, model);
    return csvResponse(c, file(funnel.plan.id, 'touches', model, suffix(range)), touchSpec(kit.lang(c), touchSubjects(funnel.plan)), kpis.stats.touches);
  }));

  app.get('/dashboard/funnels/:id/reasons.csv', (c) => withFunnel(c, async (funnel, range) => {
    const kpis = await funnelKpis(deps.db, funnel, range);
    return csvResponse(c, file(funnel.plan.id, 'reasons', suffix(range)), reasonsSpec(kit.lang(c)), reasonCounts(kpis.stats.touches));
  }));

  app.get('/dashboard/funnels/:id/referrals.csv', (c) => withFunnel(c, async (funnel) => {
    return csvResponse(c, file(funnel.plan.id, 'referrals'), referralSpec(kit.lang(c)), [await referralStats(deps.db, funnel.plan.id)]);
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
