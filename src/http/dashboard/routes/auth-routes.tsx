import { fill } from '../i18n';
import type { DashboardApp, RouteKit } from '../context';
import { endSession, formCsrfOk, hasSession, passwordMatches, safeNext, startSession } from '../session';
import { loginLimiter } from '../login-limit';
import { LoginPage } from '../pages/login';
import { MessagePage } from '../pages/message';

/** `/` (to the dashboard), the login form and its rate-limited POST, and logout; every POST checks the CSRF token. */
export function authRoutes(app: DashboardApp, kit: RouteKit): void {
  const { deps } = kit;
  const limiter = loginLimiter({
    ...deps.loginLimit,
    key: deps.clientIp,
    onLimited: (c, retryAfter) => {
      const ctx = kit.page(c, false);
      c.header('Retry-After', String(retryAfter));
      const error = fill(ctx.m.tooManyAttempts, { minutes: Math.ceil(retryAfter / 60) });
      return c.html(<LoginPage ctx={ctx} next={safeNext(undefined)} error={error} />, 429);
    },
  });

  app.get('/', (c) => c.redirect('/dashboard'));

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (hasSession(c, deps.secretKey, deps.now())) return c.redirect(next);
    return c.html(<LoginPage ctx={kit.page(c, false)} next={next} />);
  });

  app.post('/login', limiter.middleware, async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, false, { next });
      return c.html(<LoginPage ctx={ctx} next={next} error={ctx.m.staleForm} />, 403);
    }
    if (!passwordMatches(typeof form.password === 'string' ? form.password : '', deps.adminPassword)) {
      const ctx = kit.page(c, false, { next });
      return c.html(<LoginPage ctx={ctx} next={next} error={ctx.m.wrongPassword} />, 401);
    }
    limiter.reset(c);
    startSession(c, deps.secretKey, deps.now());
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    const form = await c.req.parseBody();
    if (!formCsrfOk(c, deps.secretKey, form.csrf)) {
      const ctx = kit.page(c, hasSession(c, deps.secretKey, deps.now()));
      return c.html(<MessagePage ctx={ctx} title={ctx.m.staleForm} />, 403);
    }
    endSession(c);
    return c.redirect('/login', 303);
  });
}
