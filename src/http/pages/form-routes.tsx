import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rateLimiter } from 'hono-rate-limiter';
import type { PageDeps } from '../../pages/deps';
import type { VersionedPlan } from '../../db/funnels';
import type { Form } from '../../dsl/plan';
import { checkSubmission, honeypotFilled, REFERRAL_FIELD, submittedReferral } from '../../pages/form-input';
import { neutralThanksPath, submitForm } from '../../pages/submit-form';
import { ConflictError, ValidationError } from '../../errors';
import { errorBody } from '../error-response';
import { clientIp, type ClientIp } from './client-ip';
import { LeadFormPage } from './form-view';
import { publicHeaders, type PublicEnv } from '../public-headers';
import { noticeFor, publicErrorHandler } from './public-errors';
import { NoticePage } from './public-layout';
import { readFormBody, wantsJson } from './read-form-body';
import { sourceFromFields, type LeadSource } from '../../contacts/lead-source';

/** Where the person who opened the form came from: the page's utm_* tags, the referrer header, the landing URL. */
function landingSource(c: Context<PublicEnv>, publicUrl: string): LeadSource | undefined {
  const url = new URL(c.req.url);
  return sourceFromFields({ ...c.req.query(), referrer: c.req.header('referer'), landing_url: `${publicUrl}${url.pathname}${url.search}` });
}

/** What the lead form routes need besides the page deps. */
export type FormDeps = PageDeps & {
  /** Submissions allowed per client address and window; default 5 per 10 minutes. */
  rateLimit?: { max: number; windowMs: number };
  /** True behind a reverse proxy that appends the client's address to `X-Forwarded-For`. */
  trustProxy?: boolean;
  /** Overrides how the client's address is read (rate-limit key and consent proof). */
  clientIp?: ClientIp;
};

/** The default per-address limit on submissions. */
export const DEFAULT_FORM_RATE_LIMIT = { max: 5, windowMs: 10 * 60_000 };
const MAX_FORM_BYTES = 64 * 1024;
const CONFLICT_MESSAGE = 'Эти почта и телефон уже указаны в разных заявках. Оставьте, пожалуйста, что-то одно.';

/**
 * The public lead form of a funnel, mounted at `/`: `GET /f/:funnelId` shows it, `POST /f/:funnelId` accepts an
 * HTML form post or JSON, `GET /f/:funnelId/thanks` is the neutral thank-you. A rejected submission stores nothing;
 * a filled honeypot pretends success and stores nothing; each client address gets a few submissions per window (429).
 */
export function formRoutes(deps: FormDeps): Hono {
  const app = new Hono<PublicEnv>();
  const ipOf = deps.clientIp ?? clientIp(deps.trustProxy ?? false);
  const limit = deps.rateLimit ?? DEFAULT_FORM_RATE_LIMIT;
  const nonce = (c: Context<PublicEnv>) => c.get('secureHeadersNonce');
  const formOf = (funnelId: string): { funnel: VersionedPlan; form: Form } | undefined => {
    const funnel = deps.funnels.get(funnelId);
    return funnel?.plan.form ? { funnel, form: funnel.plan.form } : undefined;
  };

  app.use('/f/*', ...publicHeaders({ styles: 'nonce' }));

  app.get('/f/:funnelId', (c) => {
    const found = formOf(c.req.param('funnelId'));
    if (!found) return noticeFor(c, 404);
    const referral = submittedReferral({}, c.req.query(REFERRAL_FIELD));
    return c.html(<LeadFormPage funnelId={found.funnel.plan.id} form={found.form} nonce={nonce(c)} referral={referral} source={landingSource(c, deps.publicUrl)} />);
  });

  app.get('/f/:funnelId/thanks', (c) => {
    if (!formOf(c.req.param('funnelId'))) return noticeFor(c, 404);
    return c.html(<NoticePage title="Спасибо! Заявка принята" text="Мы свяжемся с вами в ближайшее время." nonce={nonce(c)} />);
  });

  app.post(
    '/f/:funnelId',
    rateLimiter<PublicEnv>({
      windowMs: limit.windowMs,
      limit: limit.max,
      keyGenerator: (c) => ipOf(c) ?? 'unknown',
      handler: (c) => {
        if (wantsJson(c)) return c.json(errorBody('rate_limited', 'too many submissions from this address; try again later'), 429);
        return c.html(<NoticePage title="Слишком много попыток" text="Пожалуйста, попробуйте отправить форму немного позже." nonce={nonce(c)} />, 429);
      },
    }),
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => (wantsJson(c) ? c.json(errorBody('payload_too_large', `the form exceeds ${MAX_FORM_BYTES} bytes`), 413) : noticeFor(c, 413)),
    }),
    async (c) => {
      const found = formOf(c.req.param('funnelId'));
      if (!found) return wantsJson(c) ? c.json(errorBody('not_found', 'this funnel has no lead form'), 404) : noticeFor(c, 404);
      const { json, fields } = await readFormBody(c);
      const { funnel, form } = found;
      if (honeypotFilled(fields)) return c.redirect(neutralThanksPath(funnel.plan.id), 303);

      // The form page carries its landing source in hidden fields; a form posted from elsewhere may put it in the query.
      const source = sourceFromFields({ ...c.req.query(), ...fields });
      const check = checkSubmission(form, fields);
      const referral = submittedReferral(fields, c.req.query(REFERRAL_FIELD));
      if (!check.ok) {
        if (json) throw new ValidationError(`invalid form submission: ${check.issues.map((i) => `${i.path || 'form'}: ${i.message}`).join('; ')}`, check.issues);
        return c.html(<LeadFormPage funnelId={funnel.plan.id} form={form} nonce={nonce(c)} values={fields} issues={check.issues} referral={referral} source={source} />, 422);
      }
      if (source) check.submission.contact.source = source;
      try {
        const done = await submitForm(deps, funnel, check.submission, { ip: ipOf(c), userAgent: c.req.header('user-agent') ?? null }, referral);
        if (json) return c.json(done, 201);
        return c.redirect(done.redirect, 303);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // The owner's id stays private: this is a public endpoint.
        if (json) return c.json(errorBody('conflict', 'the email and the phone belong to different contacts'), 409);
        return c.html(<LeadFormPage funnelId={funnel.plan.id} form={form} nonce={nonce(c)} values={fields} formError={CONFLICT_MESSAGE} referral={referral} source={source} />, 409);
      }
    },
  );

  // Other methods go on to the app's answer for them: 405 with the Allow header of the path.
  app.all('/f/*', (c, next) => (['GET', 'HEAD'].includes(c.req.method) ? noticeFor(c, 404) : next()));
  app.onError(publicErrorHandler(deps.log));
  return new Hono().route('/', app);
}
