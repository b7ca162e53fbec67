import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { PageDeps } from '../../pages/deps';
import { openPage } from '../../pages/open-page';
import { publicHeaders, type PublicEnv } from '../public-headers';
import { noticeFor, publicErrorHandler } from './public-errors';
import { PublicLayout } from './public-layout';
import { PushOffer } from './push-offer';
import { offersPush } from '../../push/subscribe';

/**
 * `GET /p/:funnelId/:pageId?t=<token>` — a funnel's page for the contact the signed token names, recorded as viewed
 * (event `<pageId>.viewed` once, ledger `opened_at`; `via=<link id>`, added by the click redirect, names the message
 * whose link brought the contact here). A missing funnel, page or contact and any forged or foreign
 * token all answer the same 404 page and store nothing. Mount at `/`.
 */
export function pageRoutes(deps: PageDeps): Hono {
  const app = new Hono<PublicEnv>();
  app.use('/p/*', ...publicHeaders({ styles: 'nonce', scripts: Boolean(deps.pushKey) }));
  app.get('/p/:funnelId/:pageId', async (c) => {
    const { funnelId, pageId } = c.req.param();
    const token = c.req.query('t');
    const page = await openPage(deps, funnelId, pageId, token, c.req.query('via'));
    if (!page) return noticeFor(c, 404);
    const plan = deps.funnels.get(funnelId)?.plan;
    const nonce = c.get('secureHeadersNonce');
    return c.html(
      <PublicLayout title={page.title} nonce={nonce}>
        {raw(page.html)}
        {deps.pushKey && plan && offersPush(plan) && token
          ? <PushOffer publicUrl={deps.publicUrl} vapidKey={deps.pushKey} funnelId={funnelId} pageId={pageId} token={token} nonce={nonce} />
          : null}
      </PublicLayout>,
    );
  });
  // Other methods go on to the app's answer for them: 405 with the Allow header of the path.
  app.all('/p/*', (c, next) => (['GET', 'HEAD'].includes(c.req.method) ? noticeFor(c, 404) : next()));
  app.onError(publicErrorHandler(deps.log));
  return new Hono().route('/', app);
}
