import { FREE_MESSAGES } from '../../money/money-figures';
import { Hono, type MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { languageDetector } from 'hono/language';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { asLang, LANGS } from './i18n';
import { routeKit, type DashboardApp, type Env } from './context';
import { socketAddress, type DashboardDeps, type ResolvedDeps } from './deps';
import { hasSession } from './session';
import { DEFAULT_LOGIN_LIMIT } from './login-limit';
import { loadExperiments } from './experiments-data';
import { authRoutes } from './routes/auth-routes';
import { funnelRoutes } from './routes/funnel-routes';
import { contactRoutes } from './routes/contact-routes';
import { previewRoutes } from './routes/preview-routes';
import { lazyPreviewRunner } from '../../simulate/lazy-preview';
import { outboxFrameHeaders, outboxRoutes } from './routes/outbox-routes';
import { MessagePage } from './pages/message';

export type { DashboardDeps } from './deps';

const LANG_COOKIE = 'af_lang';
// Explicit paths, not '*': app.route('/', dashboard) copies these handlers onto the main app, where
// a '*' middleware would also run for /api and every other route.
const PAGE_PATHS = ['/login', '/logout', '/dashboard/*'] as const;

/** Security headers, language detection (`?lang`, cookie, Accept-Language) and no caching, for every page. */
function sharedMiddleware(): MiddlewareHandler<Env>[] {
  return [
    outboxFrameHeaders(),
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"], styleSrc: [NONCE], imgSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"],
        frameSrc: ["'self'"],
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
}

/** DashboardDeps with the defaults filled in. */
function resolve(deps: DashboardDeps): ResolvedDeps {
  return {
    db: deps.db, funnels: deps.funnels, adminPassword: deps.adminPassword, secretKey: deps.secretKey,
    outboxChannels: deps.outboxChannels ?? (deps.outboxMode ? ['email'] : []),
    now: deps.now ?? Date.now,
    loginLimit: deps.loginLimit ?? DEFAULT_LOGIN_LIMIT,
    clientIp: deps.clientIp ?? socketAddress,
    experiments: deps.experiments ?? loadExperiments,
    preview: deps.preview ?? lazyPreviewRunner(),
    testSend: deps.testSend ?? null,
    messageCosts: deps.messageCosts ?? FREE_MESSAGES,
    engine: deps.engine,
  };
}

/**
 * The owner's server-rendered dashboard, to be mounted at `/`: funnels overview, funnel pages (model, range, chart,
 * plan drawing, experiments), contact timelines, the dev outbox, CSV of every table. Every `/dashboard*` route
 * requires a signed session cookie; forms carry a double-submit CSRF token; failed logins are rate limited.
 */
export function createDashboard(input: DashboardDeps): Hono {
  const deps = resolve(input);
  const kit = routeKit(deps);
  const app: DashboardApp = new Hono<Env>();
  for (const path of PAGE_PATHS) app.use(path, ...sharedMiddleware());

  const guard: MiddlewareHandler<Env> = async (c, next) => {
    if (hasSession(c, deps.secretKey, deps.now())) return next();
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  };
  app.use('/dashboard/*', guard);

  authRoutes(app, kit);
  funnelRoutes(app, kit);
  contactRoutes(app, kit);
  outboxRoutes(app, kit);
  previewRoutes(app, kit);

  app.get('/dashboard/*', (c) => {
    const ctx = kit.page(c, true);
    return c.html(<MessagePage ctx={ctx} title={ctx.m.notFound} />, 404);
  });

  // Typed variables stay inside; callers get a plain Hono to mount.
  return new Hono().route('/', app);
}
