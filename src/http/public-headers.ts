import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';

/** The variables public routes read: the CSP nonce of the response. */
export type PublicEnv = { Variables: SecureHeadersVariables };

/**
 * Security headers of every page a contact opens from a message (pages, forms, unsubscribe, webinar registration,
 * tracked links): a CSP that runs no script (but the engine's nonce'd push script with `scripts`), no framing, no Referer (personal links carry a token), no caching, no
 * indexing. `styles: 'nonce'` allows only the nonce'd stylesheet (pages whose HTML the marketer writes, which may
 * also show https images, media and frames); `'inline'` allows the fixed inline styles of the engine's own pages.
 */
export function publicHeaders<E extends PublicEnv = PublicEnv>(opts: { styles: 'nonce' | 'inline'; scripts?: boolean }): MiddlewareHandler<E>[] {
  const marketer = opts.styles === 'nonce';
  // `scripts`: funnel pages offering web push run the engine's own nonce'd subscribe script, its service worker and post.
  const push = opts.scripts === true;
  return [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"], styleSrc: [marketer ? NONCE : "'unsafe-inline'"],
        imgSrc: marketer ? ["'self'", 'https:', 'data:'] : ["'self'"],
        ...(marketer && { mediaSrc: ['https:'], frameSrc: ['https:'] }),
        ...(push && { scriptSrc: [NONCE], connectSrc: ["'self'"], workerSrc: ["'self'"] }),
        formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
    }),
    async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('X-Robots-Tag', 'noindex, nofollow');
    },
  ];
}
