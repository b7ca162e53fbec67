import type { MiddlewareHandler } from 'hono';
import type { DashboardApp, Env, RouteKit } from '../context';
import { csvResponse } from '../csv';
import { latestOutbox, outboxChannelsUsed, outboxHtml } from '../data/outbox-data';
import { OutboxPage, outboxSpec } from '../pages/outbox';
import { MessagePage } from '../pages/message';

const LIMIT = 100;
const CSV_LIMIT = 10_000;
/** The frame route: one email's HTML, for the sandboxed iframe of the outbox page. */
export const OUTBOX_FRAME = /^\/dashboard\/outbox\/[^/]+\/frame$/;

// The email itself may style itself but runs nothing, loads nothing from elsewhere (no open pixel: viewing records
// nothing), submits nothing, and is shown only inside the dashboard's own frame.
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; frame-ancestors 'self'; sandbox";

/**
 * Runs before the security headers and sets its own after them, for the frame route only: the dashboard's headers
 * forbid framing, which is exactly what the outbox's email preview needs (same origin, sandboxed).
 */
export function outboxFrameHeaders(): MiddlewareHandler<Env> {
  return async (c, next) => {
    await next();
    if (!OUTBOX_FRAME.test(c.req.path) || c.res.status !== 200) return;
    c.res.headers.set('Content-Security-Policy', FRAME_CSP);
    c.res.headers.set('X-Frame-Options', 'SAMEORIGIN');
  };
}

/** The dev outbox (every channel, or one with `?channel=`): the newest 100 on the page, up to 10,000 in its CSV; each email's frame. */
export function outboxRoutes(app: DashboardApp, kit: RouteKit): void {
  const { db } = kit.deps;
  const funnelZone = (id: string) => kit.deps.funnels.get(id)?.plan.timezone;
  app.get('/dashboard/outbox', async (c) => {
    const channel = c.req.query('channel') || undefined;
    const [entries, used] = await Promise.all([latestOutbox(db, funnelZone, LIMIT, channel), outboxChannelsUsed(db)]);
    const channels = [...new Set([...kit.deps.outboxChannels, ...used])].sort();
    return c.html(<OutboxPage ctx={kit.page(c, true)} entries={entries} channels={channels} channel={channel} />);
  });

  app.get('/dashboard/outbox.csv', async (c) => {
    const channel = c.req.query('channel') || undefined;
    return csvResponse(c, channel ? `outbox-${channel}.csv` : 'outbox.csv', outboxSpec(kit.lang(c)), await latestOutbox(db, funnelZone, CSV_LIMIT, channel));
  });

  app.get('/dashboard/outbox/:id/frame', async (c) => {
    const html = await outboxHtml(db, c.req.param('id'));
    if (html === undefined) {
      const ctx = kit.page(c, true);
      return c.html(<MessagePage ctx={ctx} title={ctx.m.notFound} />, 404);
    }
    // `<base target="_blank">` sends every link to a new window, which the sandbox does not allow: nothing is followed.
    return c.html(`<!doctype html><html><head><meta charset="utf-8"><base target="_blank"></head><body>${html}</body></html>`);
  });
}
