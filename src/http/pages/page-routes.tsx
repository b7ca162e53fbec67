import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { PageDeps } from '../../pages/deps';
import { openPage } from '../../pages/open-page';
import { publicHeaders, type PublicEnv } from '../public-headers';
import { noticeFor, publicErrorHandler } from './public-errors';
import { PublicLayout } from './public-layout';

/**
 * `GET /p/:funnelId/:pageId?t=<token>` — a funnel's page for the contact the signed token names, recorded as viewed
 * (event `<pageId>.viewed` once, ledger `opened_at`; `via=<link id>`, added by the click redirect, names the message
 * whose link brought the contact here). A missing funnel, page or contact and any forged or foreign
 * token all answer the same 404 page and store nothing. Mount at `/`.
 */
export function pageRoutes(deps: PageDeps): Hono {
  const app = new Hono<PublicEnv>();
  app.use('/p/*', ...publicHeaders({ styles: 'nonce' }));
  app.get('/p/:funnelId/:pageId', async (c) => {
    const page = await openPage(deps, c.req.param('funnelId'), c.req.param('pageId'), c.req.query('t'), c.req.query('via'));
    if (!page) return noticeFor(c, 404);
    return c.html(
      <PublicLayout title={page.title} nonce={c.get('secureHeadersNonce')}>
        {raw(page.html)}
      </PublicLayout>,
    );
  });
  // Other methods go on to the app's answer for them: 405 with the Allow header of the path.
  app.all('/p/*', (c, next) => (['GET', 'HEAD'].includes(c.req.method) ? noticeFor(c, 404) : next()));
  app.onError(publicErrorHandler(deps.log));
  return new Hono().route('/', app);
}
