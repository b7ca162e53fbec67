import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';

/** The variables public routes read: the CSP nonce of the response. */
export type PublicEnv = { Variables: SecureHeadersVariables };

/**
 * Security headers of the public pages: a CSP that runs no script and allows only the nonce'd stylesheet (images,
 * media and frames from https for the marketer's content), no framing, no Referer (personal links carry a token),
 * no caching, no indexing.
 */
export function publicHeaders(): MiddlewareHandler<PublicEnv>[] {
  return [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"], styleSrc: [NONCE], imgSrc: ["'self'", 'https:', 'data:'], mediaSrc: ['https:'], frameSrc: ['https:'],
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
