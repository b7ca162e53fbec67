import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { i18n } from '../../src/http/dashboard/i18n';
import { ru } from '../../src/http/dashboard/messages/ru';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient, plain } from '../browser/dashboard-client';

/*
 * Russian labels throughout: the Russian dashboard has no English word where a Russian one exists («В outbox» was
 * mixed), and dates take the locale's form (ru 01.12.2026 / «1 дек.», en Dec 1, 2026) from one helper.
 */

/** Latin words a Russian label may hold: names, acronyms, the language switch, commands and paths. */
const ALLOWED = new Set(['autofunnel', 'English', 'CSV', 'ROMI', 'NPS', 'CAC', 'ID', 'HTML', 'Telegram', 'SMS', 'npm', 'run', 'simulate', 'funnels', 'p-', 'IP', 'IP-', 'API']);
/** English words that have a Russian one on the dashboard (step ids, event names and channel codes — email, sms — are the funnel file's names, shown as written). */
const ENGLISH = /\b(outbox|inbox|preview|then|else|timeout|fallback|waitFor|waitUntil|branch|webinar|chat|email address)\b/i;

const PASSWORD = 'russian-test-password';
let db: Db;
let close: () => Promise<void>;
let app: Hono;

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  app = createDashboard({
    db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: 'russian-secret-0123456789',
    outboxMode: true, outboxChannels: ['email', 'sms'], now: () => T0,
  });
});
afterAll(async () => close?.());

/** The text a person reads on a page, without the ids and codes the page shows as code (touch ids, funnel ids, channels). */
function visibleText(html: string): string {
  return plain(html
    .replace(/<(script|style|code|title)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<span class="badge channel">[^<]*<\/span>/g, ' ')
    .replace(/<text class="title"[^>]*>[^<]*<\/text>/g, ' ') // the plan's boxes are titled with step ids
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' '));
}

describe('the Russian dashboard', () => {
  it('has no English word in a Russian message where a Russian one exists', () => {
    const mixed = Object.entries(ru).flatMap(([key, text]) => {
      const words = text.replace(/\{\w+\}/g, '').match(/[A-Za-z][A-Za-z-]*/g) ?? [];
      return words.filter((w) => !ALLOWED.has(w)).map((w) => `${key}: ${w}`);
    });
    expect(mixed).toEqual([]);
  });

  it('shows the funnel page, the outbox and a contact in Russian only', async () => {
    const client = new DashboardClient(app, PASSWORD);
    const jar = await client.login();
    for (const path of ['/dashboard', '/dashboard/funnels/course', '/dashboard/outbox', '/dashboard/contacts/ct_1']) {
      const text = visibleText(await client.page(path, jar));
      // Text the seed itself wrote (subjects, message bodies, recipients) may hold anything: only the page's own labels count.
      const own = text.replace(/[\w.+-]+@[\w.-]+/g, ' ').replace(/[\w-]+\.[\w.-]+/g, ' '); // addresses, event names
      expect(ENGLISH.exec(own)?.[0], `${path}: …${own.slice(Math.max(0, (ENGLISH.exec(own)?.index ?? 0) - 60), (ENGLISH.exec(own)?.index ?? 0) + 40)}…`).toBeUndefined();
    }
    const funnel = await client.page('/dashboard/funnels/course', jar);
    expect(plain(funnel)).toContain('Тестовый ящик'); // the nav link, once «Outbox»
    expect(plain(funnel)).toContain('>нет: 3</text>'); // the plan's else arm
    expect(plain(funnel)).toMatch(/<text class="detail"[^>]*>ждёт welcome\.clicked<\/text>/); // the waitFor step
  });

  it('writes dates in the locale\u2019s form through one helper', () => {
    const t = Date.UTC(2026, 11, 1, 10);
    expect([i18n('ru').fmt.date(t), i18n('ru').fmt.dayMonth(t)]).toEqual(['01.12.2026', '1 дек.']);
    expect([i18n('en').fmt.date(t), i18n('en').fmt.dayMonth(t)]).toEqual(['Dec 1, 2026', 'Dec 1']);
    expect(i18n('ru').fmt.date(Date.UTC(2026, 11, 1, 22), 'Asia/Kamchatka')).toBe('02.12.2026'); // the zone's calendar day
  });

  it('labels the conversions chart with those dates', async () => {
    const client = new DashboardClient(app, PASSWORD);
    const jar = await client.login();
    const ru = plain(await client.page('/dashboard/funnels/course', jar));
    expect(ru).toContain('<text x="450" y="174" text-anchor="middle">17 янв.</text>');
    expect(ru).toMatch(/<title>17\.01\.2025: конверсий 2/);
    const en = plain(await client.page('/dashboard/funnels/course?lang=en', jar));
    expect(en).toMatch(/<title>Jan 17, 2025: /);
  });
});
