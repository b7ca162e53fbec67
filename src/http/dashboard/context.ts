import type { Context, Hono } from 'hono';
import type { LanguageVariables } from 'hono/language';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import { asLang, i18n, type I18n } from './i18n';
import type { PageContext } from './layout';
import type { ResolvedDeps } from './deps';
import { ensureCsrf } from './session';

/** Variables every dashboard handler can read (language, CSP nonce). */
export type Env = { Variables: LanguageVariables & SecureHeadersVariables };
/** A dashboard request context. */
export type Ctx = Context<Env>;
/** The dashboard's Hono app, before it is handed out untyped. */
export type DashboardApp = Hono<Env>;

/** What route modules share: the resolved deps and the page-context builder. */
export interface RouteKit {
  deps: ResolvedDeps;
  /** Messages and formatters of the request's language. */
  lang(c: Ctx): I18n;
  /** Shared page props: language, CSRF token, CSP nonce, the language switch link (current URL with `extraQuery`). */
  page(c: Ctx, authed: boolean, extraQuery?: Record<string, string>): PageContext;
}

/** Builds the RouteKit for resolved deps. */
export function routeKit(deps: ResolvedDeps): RouteKit {
  const lang = (c: Ctx) => i18n(asLang(c.get('language')) ?? 'ru');
  return {
    deps,
    lang,
    page(c, authed, extraQuery = {}) {
      const t = lang(c);
      const url = new URL(c.req.url);
      for (const [k, v] of Object.entries(extraQuery)) url.searchParams.set(k, v);
      url.searchParams.set('lang', t.lang === 'ru' ? 'en' : 'ru');
      return {
        ...t, authed, outboxChannels: deps.outboxChannels, csrf: ensureCsrf(c, deps.secretKey),
        nonce: c.get('secureHeadersNonce'), langHref: `${url.pathname}${url.search}`,
      };
    },
  };
}
