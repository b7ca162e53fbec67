import type { DashboardApp, RouteKit } from '../context';
import { MessagePage } from '../pages/message';
import { PreviewPage } from '../pages/preview';

const BUILTINS = ['silent', 'engaged', 'buyer'];

/** A funnel's Preview: the built-in personas run through its current version in virtual time (never the live database or channels). */
export function previewRoutes(app: DashboardApp, kit: RouteKit): void {
  app.get('/dashboard/funnels/:id/preview', async (c) => {
    const funnel = kit.deps.funnels.get(c.req.param('id'));
    const ctx = kit.page(c, true);
    if (!funnel) return c.html(<MessagePage ctx={ctx} title={ctx.m.funnelNotFound} />, 404);
    const page = { ctx, funnelId: funnel.plan.id, funnelName: funnel.plan.name, builtins: BUILTINS };
    try {
      const result = await kit.deps.preview(funnel);
      return c.html(<PreviewPage {...page} result={result} />);
    } catch (err) {
      return c.html(<PreviewPage {...page} error={(err as Error).message} />, 503);
    }
  });
}
