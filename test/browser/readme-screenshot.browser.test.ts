import { copyFile, mkdir, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { coursePlan } from './seed-dashboard';
import { artifactPath, launchChromium } from '../helpers/browser';
import { SERVED, startServedApp, type ServedTestApp } from '../helpers/served-app';

/*
 * The funnel page the README shows: a Russian course funnel with a dozen leads from two ad sources, their touches (one
 * SMS reminder that fell back to email), purchases and ad spend, seeded through the real API; Chromium at 1,280 px
 * reads the money header, the ranked touches and the touch table, and saves the top of the page. With
 * UPDATE_DOCS_SCREENSHOT=1 it also replaces docs/dashboard-funnel.png (`npm run docs:screenshot`).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-02T07:00:00Z'); // Monday 10:00 in Moscow
const NOW = T0 + 20 * DAY;
let clock = T0;

let app: ServedTestApp;
let browser: Browser;
let page: Page;
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

type Sent = { touchId: string; channel: string; planned?: string; day: number; opened?: boolean; clicked?: boolean; status?: 'sent' | 'delivered' | 'outbox' | 'skipped' };

beforeAll(async () => {
  app = await startServedApp({ plans: [coursePlan], now: () => clock, extra: () => ({ messageCosts: { email: 50, telegram: 0 } }) });
  const subjects: Record<string, string> = { welcome: 'Добро пожаловать', 'lesson-2': 'Урок 2', reminder: 'Вы не открыли урок', 'offer-a': 'Последний шанс', 'offer-b': 'Скидка сгорает' };
  const people = ['Анна', 'Борис', 'Вера', 'Глеб', 'Дарья', 'Егор', 'Жанна', 'Зоя', 'Игорь', 'Кира', 'Лев', 'Мария'];
  for (const [i, name] of people.entries()) {
    const source = i % 3 === 2 ? 'yandex' : 'vk';
    const start = T0 + i * 13 * HOUR;
    clock = start;
    const contact = (await app.api('POST', '/api/contacts', { email: `c${i}@example.ru`, phone: `+7900111${String(i).padStart(4, '0')}`, name, source: { utm_source: source } })).json;
    const { enrollmentId } = (await app.api('POST', '/api/funnels/course/enrollments', { contactId: contact.id })).json;
    const clicked = i % 2 === 0;
    const touches: Sent[] = [
      { touchId: 'welcome', channel: 'email', day: 0, opened: i % 4 !== 3, clicked, status: 'delivered' },
      clicked ? { touchId: 'lesson-2', channel: 'email', day: 3, opened: true, clicked: i % 4 === 0, status: 'delivered' }
        : { touchId: 'reminder', channel: i === 5 ? 'email' : 'sms', planned: 'sms', day: 3, status: 'sent' }, // Егор has no SMS consent: the email fallback
      { touchId: i % 2 === 0 ? 'offer-a' : 'offer-b', channel: 'email', day: 4, opened: i % 3 !== 1, clicked: i % 3 === 0, status: 'delivered' },
    ];
    for (const t of touches) {
      const at = start + t.day * DAY;
      await app.db.insertInto('deliveries').values({
        id: `dl_${i}_${t.touchId}`, enrollment_id: enrollmentId, funnel_id: 'course', contact_id: contact.id, touch_id: t.touchId, channel: t.channel,
        planned_channel: t.planned ?? t.channel, status: t.status ?? 'sent', reason: null, recipient: t.channel === 'sms' ? contact.phone : contact.email,
        subject: t.channel === 'email' ? subjects[t.touchId] ?? null : null, provider_message_id: null, attempts: 1, scheduled_at: at, created_at: at,
        sent_at: at, delivered_at: t.status === 'delivered' ? at : null, opened_at: t.opened ? at + HOUR : null, clicked_at: t.clicked ? at + 2 * HOUR : null,
        replied_at: null, failed_at: null, cost: t.channel === 'sms' ? 3.5 : null, // roubles, as the SMS provider reports
      }).execute();
    }
    if ([0, 1, 3, 4, 6, 9].includes(i)) {
      const value = [4900, 2900, 4900, 9900, 4900, 2900][[0, 1, 3, 4, 6, 9].indexOf(i)];
      clock = start + 4 * DAY + (2 + i) * HOUR;
      expect((await app.api('POST', '/api/events', { contactId: contact.id, name: 'order.paid', value })).status).toBeLessThan(300);
    }
  }
  for (const [source, amount] of [['vk', 9000], ['yandex', 6000]] as const) {
    expect((await app.api('POST', '/api/spend', { source, date: '2026-11-02', amount })).status).toBe(201);
  }
  clock = NOW;
  browser = await launchChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.stop();
});

describe('the README screenshot of the funnel page', () => {
  it('shows the money, the ranked touches and the touch table of a seeded Russian funnel within 1,280 px', async () => {
    await page.goto(`${app.url}/login`);
    await page.getByLabel('Пароль').fill(SERVED.adminPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.goto(`${app.url}/dashboard/funnels/course`);
    expect(plain(await page.locator('[data-money="revenue"] .big').innerText())).toBe('30 400,00 ₽');
    expect(await page.locator('ol.ranked li').count()).toBeGreaterThan(1);
    expect(plain(await page.locator('#touches tr[data-touch="reminder"] [data-col="touchId"]').innerText())).toContain('↪ email 1');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    const table = await page.locator('#touches').first().boundingBox();
    const path = artifactPath('dashboard-readme-1280.png');
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(table!.y + table!.height + 16) } });
    expect((await stat(path)).size).toBeLessThan(300_000);
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await mkdir('docs', { recursive: true });
      await copyFile(path, 'docs/dashboard-funnel.png');
    }
  });
});
