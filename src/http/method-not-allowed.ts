import type { Context, Hono } from 'hono';
import { errorBody } from './error-response';

interface RoutePattern { method: string; pattern: RegExp }

/** The app's routes as patterns (`:param` → one segment, `*` → anything), middleware left out. */
function patterns(app: Hono): RoutePattern[] {
  return app.routes.filter((r) => r.method !== 'ALL').map((r) => ({
    method: r.method,
    pattern: new RegExp(`^${r.path.split('/').map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`),
  }));
}

/** 405 `method_not_allowed` with the `Allow` header (HEAD added wherever GET is allowed). */
export function methodNotAllowed(c: Context, methods: readonly string[]): Response {
  const allowed = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : [])])].sort();
  c.header('Allow', allowed.join(', '));
  return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed here; use ${allowed.join(' or ')}`), 405);
}

/**
 * The app's answer for a request no route took: 405 `method_not_allowed` with an `Allow` header when the path exists
 * under other methods (HEAD is allowed wherever GET is), else 404 `not_found`. The routes are read at the first miss,
 * when every sub-app has been mounted.
 */
export function notFoundOrNotAllowed(app: Hono) {
  let known: RoutePattern[] | undefined;
  return (c: Context) => {
    known ??= patterns(app);
    const allowed = [...new Set(known.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    if (allowed.length > 0 && !allowed.includes(c.req.method)) return methodNotAllowed(c, allowed);
    return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
  };
}
