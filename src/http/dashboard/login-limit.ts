import type { MiddlewareHandler } from 'hono';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import type { Ctx, Env } from './context';

/** Failed logins a client may make per window before it is refused. */
export const DEFAULT_LOGIN_LIMIT = { max: 5, windowMs: 15 * 60 * 1000 };

/** The login throttle: a middleware for POST /login and the way to forgive a client after a successful login. */
export interface LoginLimiter {
  middleware: MiddlewareHandler<Env>;
  /** Forgets the client's failures (called after a successful login). */
  reset(c: Ctx): void;
}

/**
 * Counts every POST /login per client key in a fixed window (hono-rate-limiter's memory store); once `max` attempts
 * have been made, further ones answer `onLimited` with the seconds until the window ends, without checking the
 * password. A successful login resets the client's count, so only failures add up.
 */
export function loginLimiter(opts: {
  max: number;
  windowMs: number;
  key: (c: Ctx) => string;
  onLimited: (c: Ctx, retryAfterSeconds: number) => Response | Promise<Response>;
}): LoginLimiter {
  const store = new MemoryStore<Env>();
  const middleware = rateLimiter<Env>({
    windowMs: opts.windowMs,
    limit: opts.max,
    standardHeaders: false,
    keyGenerator: (c) => `login:${opts.key(c)}`,
    store,
    handler: (c) => {
      const reset = store.get(`login:${opts.key(c)}`)?.resetTime?.getTime() ?? Date.now() + opts.windowMs;
      return opts.onLimited(c, Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
    },
  });
  return { middleware, reset: (c) => store.resetKey(`login:${opts.key(c)}`) };
}
