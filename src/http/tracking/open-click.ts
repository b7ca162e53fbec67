import { Hono } from 'hono';
import type { TrackingRouteDeps } from './deps';
import { notFoundPage, pageMiddleware, type TrackingEnv } from './page-context';
import { ingestEvent } from '../../engine/ingest-event';
import { findTrackedLink } from '../../tracking/links';
import { verifyOpenToken } from '../../tracking/tokens';

/** A transparent 1×1 GIF. */
const PIXEL = Uint8Array.from(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));

/** A URL we may redirect to: only http(s), only stored ones; the Location header gets its ASCII form. */
function redirectTarget(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  return /^[\x21-\x7e]+$/.test(url) ? url : new URL(url).href;
}

/** A link to one of our own funnel pages (`<publicUrl>/p/<funnel>/<page>`) gets `via=<link id>`: the page credits the message's click. */
function withVia(target: string, publicUrl: string, linkId: string): string {
  const url = new URL(target);
  const base = new URL(publicUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !/^\/p\/[^/]+\/[^/]+$/.test(url.pathname.slice(basePath.length)) || !url.pathname.startsWith(basePath)) return target;
  url.searchParams.set('via', linkId);
  return url.href;
}

/**
 * `GET /t/o/:token` — the open pixel: always the GIF (never cached); a genuine token ingests `<touchId>.opened` once
 * per delivery. `GET /t/c/:linkId` — a 302 to the stored URL (nothing else can be a target; a link to one of our
 * funnel pages gains `via=<linkId>`) and `<touchId>.clicked` once per link; an unknown id is a 404 page and stores nothing.
 */
export function openClickRoutes(deps: TrackingRouteDeps): Hono<TrackingEnv> {
  const app = new Hono<TrackingEnv>();
  app.use('/t/c/*', ...pageMiddleware());
  app.get('/t/o/:token', async (c) => {
    const deliveryId = verifyOpenToken(deps.secretKey, c.req.param('token'));
    if (deliveryId) {
      try {
        const d = await deps.db.selectFrom('deliveries').select(['contact_id', 'funnel_id', 'touch_id', 'channel'])
          .where('id', '=', deliveryId).executeTakeFirst();
        if (d) {
          await ingestEvent(deps, {
            contactId: d.contact_id, name: `${d.touch_id}.opened`, idempotencyKey: `open:${deliveryId}`,
            properties: { funnelId: d.funnel_id, deliveryId, channel: d.channel },
          });
        }
      } catch (err) {
        // The reader's mail client gets its image whatever happens; the failure is ours to see in the log.
        deps.log.error('open tracking failed', { delivery: deliveryId, error: err });
      }
    }
    return c.body(PIXEL, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0', 'content-length': String(PIXEL.length) });
  });

  app.get('/t/c/:linkId', async (c) => {
    const tracked = await findTrackedLink(deps.db, c.req.param('linkId'));
    const target = tracked && redirectTarget(tracked.link.url);
    if (!tracked || !target) return notFoundPage(c);
    const d = tracked.delivery;
    if (d) {
      try {
        await ingestEvent(deps, {
          contactId: d.contactId, name: `${d.touchId}.clicked`, idempotencyKey: `click:${tracked.link.id}`,
          properties: { funnelId: d.funnelId, deliveryId: d.id, url: tracked.link.url, linkId: tracked.link.id, channel: d.channel },
        });
      } catch (err) {
        deps.log.error('click tracking failed', { link: tracked.link.id, error: err });
      }
    }
    return c.redirect(d ? withVia(target, deps.publicUrl, tracked.link.id) : target, 302); // pageMiddleware adds no-store and no-referrer
  });
  return app;
}
