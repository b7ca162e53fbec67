import type { Context, MiddlewareHandler } from 'hono';
import { languageDetector, type LanguageVariables } from 'hono/language';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import { publicHeaders } from '../public-headers';
import { PAGE_LANGS, pageMessages, type PageLang } from './messages';
import { MessagePage, type PageProps } from './pages';

/** Variables the contact-facing pages read from the context. */
export type TrackingEnv = { Variables: LanguageVariables & SecureHeadersVariables };

/** Headers and language of every contact-facing page: no caching, no framing, no referrer (the URL holds a token). */
export function pageMiddleware(): MiddlewareHandler<TrackingEnv>[] {
  return [
    ...publicHeaders<TrackingEnv>({ styles: 'inline' }),
    languageDetector({
      order: ['querystring', 'header'], lookupQueryString: 'lang', supportedLanguages: [...PAGE_LANGS], fallbackLanguage: 'ru', caches: false,
    }),
  ];
}

/** The request's language and messages, and this URL with the other language. */
export function pageProps(c: Context<TrackingEnv>): PageProps {
  const lang: PageLang = c.get('language') === 'en' ? 'en' : 'ru';
  const url = new URL(c.req.url);
  url.searchParams.set('lang', lang === 'ru' ? 'en' : 'ru');
  return { lang, m: pageMessages(lang), langHref: `${url.pathname}${url.search}` };
}

/** The HTML answer for a link we did not issue: 404, and nothing was stored. */
export function notFoundPage(c: Context<TrackingEnv>): Response | Promise<Response> {
  const props = pageProps(c);
  return c.html(<MessagePage {...props} title={props.m.notFoundTitle} text={props.m.notFoundText} />, 404);
}
