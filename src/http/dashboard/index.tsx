import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { languageDetector, type LanguageVariables } from 'hono/language';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';
import type { Db } from '../../db/database';
import type { FunnelRegistry } from '../../engine/registry';
import { asLang, i18n, LANGS } from './i18n';
import type { PageContext } from './layout';
import { endSession, ensureCsrf, formCsrfOk, hasSession, passwordMatches, safeNext, startSession } from './session';
import { funnelKpis, latestOutbox } from './queries';
import { parseDateRange } from './date-range';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { FunnelPage } from './pages/funnel';
import { OutboxPage } from './pages/outbox';
import { MessagePage } from './pages/message';

/** What the dashboard reads and how it authenticates the owner. */
export interface DashboardDeps {
  db: Db;
  funnels: FunnelRegistry;
  adminPassword: string;
  secretKey: string;
  /** True when emails go to the dev outbox instead of SMTP; every page then says so. */
  outboxMode: boolean;
  now?: () => number;
}

type Env = { Variables: LanguageVariables & SecureHeadersVariables };
type Ctx = Context<Env>;

const LANG_COOKIE = 'af_lang';
// Explicit paths, not '*': app.route('/', dashboard) copies these handlers onto the main app, where
// a '*' middleware would also run for /api and every other route.
const PAGE_PATHS = ['/login', '/logout', '/dashboard/*'] as const;

/**
 * The owner's server-rendered dashboard (login, funnel stats, dev outbox), to be mounted at `/`.
 * Every `/dashboard*` page requires a signed session cookie; forms carry a double-submit CSRF token.
 */
export function createDashboard(deps: DashboardDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono<Env>();

  const shared: MiddlewareHandler<Env>[] = [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"], styleSrc: [NONCE], imgSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
    languageDetector({
      order: ['querystring', 'cookie', 'header'], lookupQueryString: 'lang', lookupCookie: LANG_COOKIE,
      supportedLanguages: [...LANGS], fallbackLanguage: 'ru', caches: false,
    }),
    async (c, next) => {
      const chosen = asLang(c.req.query('lang'));
      if (chosen) setCookie(c, LANG_COOKIE, chosen, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
      await next();
      c.header('Cache-Control', 'no-store');
    },
  ];
  for (const path of PAGE_PATHS) app.use(path, ...shared);

  app.use('/dashboard/*', async (c, next) => {
    if (hasSession(c, deps.secretKey, now())) return next();
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  });

  /** Shared page props: language, CSRF token for the forms, CSP nonce, the language switch link. */
  const pageContext = (c: Ctx, authed: boolean, extraQuery: Record<string, string> = {}): PageContext => {
    const t = i18n(asLang(c.get('language')) ?? 'ru');
    const url = new URL(c.req.url);
    for (const [k, v] of Object.entries(extraQuery)) url.searchParams.set(k, v);
    url.searchParams.set('lang', t.lang === 'ru' ? 'en' : 'ru');
    return {
      ...t, authed, outboxMode: deps.outboxMode, csrf: ensureCsrf(c, deps.secretKey),
      nonce: c.get('secureHeadersNonce'), langHref: `${url.pathname}${url.search}`,
    };
  };

  app.get('/', (c) => c.redirect('/dashboard'));

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (hasSession(c, deps.secretKey, now())) return c.redirect(next);
    return c.html(<LoginPage ctx={pageContext(c, false)} next={next} />);
  });

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = pageContext(c, false, { next });
      return c.html(<LoginPage ctx={ctx} next={next} error={ctx.m.staleForm} />, 403);
    }
    if (!passwordMatches(typeof form.password === 'string' ? form.password : '', deps.adminPassword)) {
      const ctx = pageContext(c, false, { next });
      return c.html(<LoginPage ctx={ctx} next={next} error={ctx.m.wrongPassword} />, 401);
    }
    startSession(c, deps.secretKey, now());
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = pageContext(c, hasSession(c, deps.secretKey, now()));
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    endSession(c);
    return c.redirect('/login', 303);
  });

  app.get('/dashboard', async (c) => {
    const funnels = [];
    for (const f of deps.funnels.all()) funnels.push(await funnelKpis(deps.db, f));
    return c.html(<OverviewPage ctx={pageContext(c, true)} funnels={funnels} />);
  });

  app.get('/dashboard/funnels/:id', async (c) => {
    const ctx = pageContext(c, true);
    const funnel = deps.funnels.get(c.req.param('id'));
    if (!funnel) return c.html(<MessagePage ctx={ctx} title={ctx.m.funnelNotFound} />, 404);
    const range = parseDateRange(c.req.query('from'), c.req.query('to'), funnel.plan.timezone);
    const kpis = await funnelKpis(deps.db, funnel, range);
    return c.html(
      <FunnelPage ctx={ctx} funnel={kpis} timezone={funnel.plan.timezone} goal={funnel.plan.goal.event} range={range.input} />,
    );
  });

  app.get('/dashboard/outbox', async (c) => {
    const entries = await latestOutbox(deps.db, 100);
    return c.html(<OutboxPage ctx={pageContext(c, true)} entries={entries} />);
  });

  app.get('/dashboard/*', (c) => {
    const ctx = pageContext(c, true);
    return c.html(<MessagePage ctx={ctx} title={ctx.m.notFound} />, 404);
  });

  // Typed variables stay inside; callers get a plain Hono to mount.
  return new Hono().route('/', app);
}
