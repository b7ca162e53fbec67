import type { Db } from '../../../src/db/database';
import type { Plan } from '../../../src/dsl/plan';
import type { Logger } from '../../../src/log';
import { storeFunnelVersions } from '../../../src/db/funnels';
import { formRoutes, pageRoutes, type FormDeps } from '../../../src/http/pages/index';
import { createTestApp, DAY, T0, welcomePlan, type TestApp } from '../test-app';

/** The signing key and public base URL of every pages test app. */
export const SECRET = 'pages-secret-key-0123456789';
export const PUBLIC_URL = 'https://school.example';

const base = { timezone: 'Europe/Moscow', attributes: ['city'], events: [] };

/** The consent wording of the lead form, quoted exactly in the proof. */
export const EMAIL_CONSENT = 'Согласен(на) получать письма о курсе и рассылку «Школы» — отписаться можно в любой момент';
export const SMS_CONSENT = 'Согласен(на) на SMS-напоминания';

/** A funnel with a lead form (name required, email or phone, city, zone), a thank-you page and a bonus page; entered only by the form. */
export const leadPlan: Plan = {
  ...base, id: 'lead', name: 'Курс «Python»', entry: null,
  goal: { event: 'order.paid', withinMs: 7 * DAY, exit: true },
  steps: [{ type: 'email', id: 'hello', subject: 'Привет', text: 'Урок 1' }],
  pages: [
    {
      id: 'thanks', title: 'Спасибо, {{ contact.firstName }}!',
      html: '<p class="hello">Здравствуйте, {{ contact.name }}! Город: {{ contact.attributes.city }}.</p>'
        + '<ul class="steps"><li><a class="button" href="{{ links.pages.bonus }}">Забрать бонус</a></li>'
        + '{% if links.telegram %}<li><a class="button" href="{{ links.telegram }}">Telegram</a></li>{% endif %}'
        + '{% if links.payment %}<li><a class="button" href="{{ links.payment }}">Оплатить</a></li>{% endif %}</ul>'
        + '<p class="trigger">{{ event.name }}</p>',
    },
    { id: 'bonus', title: 'Бонус', html: '<p>Ваш бонус: чек-лист.</p>' },
  ],
  form: {
    title: 'Запишитесь на бесплатный урок',
    fields: [
      { name: 'name', label: 'Имя', required: true },
      { name: 'email', label: 'Электронная почта', required: false },
      { name: 'phone', label: 'Телефон', required: false },
      { name: 'attributes.city', label: 'Город', required: false },
      { name: 'timezone', label: 'Часовой пояс', required: false },
    ],
    consents: [
      { channel: 'email', label: EMAIL_CONSENT, required: true },
      { channel: 'sms', label: SMS_CONSENT, required: false },
    ],
    thankYouPage: 'thanks',
  },
};

/** The same form on a funnel whose entry event is `form.submitted`. */
export const entryPlan: Plan = { ...leadPlan, id: 'lead-entry', name: 'Вход через форму', entry: 'form.submitted' };

/** A pages test app: the standard test app with the page and form routes mounted and the funnels above loaded. */
export interface PagesApp extends TestApp {
  pageDeps: FormDeps;
  warnings: string[];
  /** Row counts of every table a page view or a submission can write. */
  allCounts(): Promise<Record<string, number>>;
}

/**
 * Builds the app with the given funnels (default: welcome and lead); `extra` deps (rate limit, proxy trust, links)
 * apply to the form and page routes. Funnels entered by `form.submitted` are loaded one at a time: the engine enrolls
 * into every funnel whose entry an event is, whatever its `funnelId` (see the skipped test in forms.test.ts).
 */
export async function createPagesApp(extra: Partial<FormDeps> = {}, plans: Plan[] = [welcomePlan, leadPlan]): Promise<PagesApp> {
  const warnings: string[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: (msg) => { warnings.push(msg); }, error: (msg) => { warnings.push(`error: ${msg}`); } };
  // createTestApp builds the engine deps inside; the routes read them at request time, so they are filled in below.
  const pageDeps = { secretKey: SECRET, publicUrl: PUBLIC_URL, log, trustProxy: true, rateLimit: { max: 100, windowMs: 60_000 }, ...extra } as FormDeps;
  const t = await createTestApp({
    extra: (app) => {
      app.route('/', pageRoutes(pageDeps));
      app.route('/', formRoutes(pageDeps));
    },
  });
  const funnels = plans.map((plan) => ({ plan, version: `${plan.id}-v1` }));
  await storeFunnelVersions(t.db, funnels, T0);
  t.deps.funnels.replace(funnels);
  Object.assign(pageDeps, { db: t.deps.db, gateway: t.deps.gateway, funnels: t.deps.funnels, now: t.deps.now });
  const allCounts = async () => ({
    ...(await t.counts()), deliveries: await count(t.db, 'deliveries'), consent_log: await count(t.db, 'consent_log'),
  });
  return { ...t, pageDeps, warnings, allCounts };
}

async function count(db: Db, table: 'deliveries' | 'consent_log'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/** The nonce of the page's stylesheet and the CSP header's style nonce must be the same, fresh value. */
export function styleNonces(html: string, csp: string | null): { inPage: string | undefined; inHeader: string | undefined } {
  return { inPage: /<style nonce="([^"]+)"/.exec(html)?.[1], inHeader: /style-src 'nonce-([^']+)'/.exec(csp ?? '')?.[1] };
}
