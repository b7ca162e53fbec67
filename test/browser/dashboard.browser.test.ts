import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp } from '../../src/http/app';
import { createDashboard } from '../../src/http/dashboard/index';
import { createLogger } from '../../src/log';
import { FakeGateway } from '../helpers/fake-gateway';
import { artifactPath, launchChromium, serveOnLoopback, type ServedApp } from '../helpers/browser';
import { coursePlan, openSeededDb, T0, TRUTH } from './seed-dashboard';

const PASSWORD = 'browser-test-password';

let db: Db;
let closeDb: () => Promise<void>;
let served: ServedApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

/** The visible text of a cell of a table row, as a person reads it (locale spaces made plain). */
const cell = async (row: string, col: string) =>
  (await page.locator(`tr[${row}] td[data-col="${col}"]`).first().innerText()).replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const shot = (name: string) => page.screenshot({ path: artifactPath(`dashboard-${name}.png`), fullPage: true });

beforeAll(async () => {
  ({ db, close: closeDb } = await openSeededDb());
  const funnels = new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]);
  const app = createApp({
    db, gateway: new FakeGateway(), funnels, log: createLogger('error'), now: () => T0, apiToken: 'browser-test-token',
    extra: (root) => root.route('/', createDashboard({
      db, funnels, adminPassword: PASSWORD, secretKey: 'browser-secret-0123456789', outboxChannels: ['email', 'sms'], now: () => T0,
    })),
  });
  served = await serveOnLoopback(app);
  browser = await launchChromium();
  // No JavaScript at all: every page must read and navigate with plain HTML (links, GET forms, one POST form).
  context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  // Anything the browser complains about (a CSP violation, a broken link) except its own favicon request.
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(e.message));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await served?.close();
  await closeDb?.();
});

describe('dashboard in a browser', () => {
  it('logs in and shows the funnels overview', async () => {
    await page.goto(`${served.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Пароль').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${served.url}/dashboard`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Обзор воронок');
    expect(await cell('data-funnel="course"', 'enrolled')).toBe(String(TRUTH.enrolled));
    expect(await cell('data-funnel="course"', 'revenue')).toBe('3 500,00');
    await shot('1-overview');
  });

  it('opens a funnel: the per-touch table holds the seeded numbers, the chart and the plan are drawn', async () => {
    await page.getByRole('link', { name: 'Курс «Python с нуля»' }).first().click();
    await page.waitForURL('**/dashboard/funnels/course');
    const w = TRUTH.welcome;
    for (const [col, value] of Object.entries({ sent: w.sent, delivered: w.delivered, outbox: w.outbox, opened: w.opened, clicked: w.clicked, skipped: w.skipped, converted: w.lastTouch })) {
      const row = ['outbox', 'skipped'].includes(col) ? 'data-touch-detail="welcome"' : 'data-touch="welcome"'; // rare figures: the detail row
      expect(await cell(row, col), col).toBe(String(value));
    }
    // The channel shown is the touch's; the sends that went out on a fallback channel are counted beside it.
    expect(await cell('data-touch="reminder"', 'touchId')).toMatch(/^reminder sms · ↪ email 1/);
    expect(await page.locator('tr[data-touch="reminder"] .fallbacks').getAttribute('data-fallbacks')).toBe('email:1');
    expect(await cell('data-touch="reminder"', 'sent')).toBe(String(TRUTH.reminder.sent));
    const chart = page.locator('svg.funnel');
    await expect.poll(() => chart.isVisible()).toBe(true);
    const bar = await chart.locator('g[data-bar="welcome"] rect.reached').boundingBox();
    const track = await chart.locator('g[data-bar="welcome"] rect.track').boundingBox();
    expect(bar && track && bar.width / track.width).toBeCloseTo(5 / 6, 2); // 5 reached of 6 enrolled
    const plan = page.locator('svg.plan');
    expect(await plan.isVisible()).toBe(true);
    expect(await plan.locator('g[data-edge-to="welcome"] text').textContent()).toBe(String(TRUTH.flow.welcome));
    expect(await plan.locator('g[data-edge-to="clicked.else"] text').textContent()).toBe(`нет: ${TRUTH.flow.else}`); // the else arm, in Russian
    expect(await plan.locator('g[data-step="offer-b"]').isVisible()).toBe(true);
    await shot('2-funnel');
  });

  it('switches the attribution model and sees the credit move to the first touch', async () => {
    await page.getByRole('link', { name: 'первое касание' }).click();
    await page.waitForURL('**/dashboard/funnels/course?model=first_touch');
    expect(await cell('data-touch="welcome"', 'converted')).toBe(String(TRUTH.welcome.firstTouch));
    expect(await cell('data-touch="offer-a"', 'converted')).toBe(String(TRUTH.offerA.firstTouch));
    expect(await page.locator('a[aria-current="page"][data-model]').innerText()).toBe('первое касание');
    await shot('3-first-touch');
  });

  it('downloads the per-touch table as CSV with the model shown', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#touches a.csv').click()]);
    expect(download.suggestedFilename()).toBe('course-touches-first_touch.csv');
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]?.startsWith('touchId,channel,sent,delivered,outbox,opened,clicked,')).toBe(true);
    const header = lines[0]?.split(',') ?? [];
    const welcome = Object.fromEntries((lines[1]?.split(',') ?? []).map((v, i) => [header[i], v]));
    expect(welcome).toMatchObject({ touchId: 'welcome', sent: '4', opened: '3', converted: '2', revenue: '3500' });
  });

  it("finds a contact and reads its timeline on the contact's clock, with the deferral's reason", async () => {
    await page.getByRole('link', { name: 'Контакты' }).click();
    await page.getByLabel('Поиск контакта').fill('anna');
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByRole('link', { name: TRUTH.anna.id }).click();
    await page.waitForURL(`**/dashboard/contacts/${TRUTH.anna.id}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Анна Смирнова');
    expect(await page.locator('[data-telegram]').innerText()).toBe('привязан');
    expect(await cell('data-kind="deferred"', 'at')).toBe('17 янв. 2025 г., 00:00 GMT+10');
    expect(await cell('data-kind="deferred"', 'reason')).toBe('тихие часы (quiet_hours) · до 17 янв. 2025 г., 09:00 GMT+10');
    expect(await cell('data-kind="conversion"', 'value')).toBe('1 500,00');
    await shot('4-contact');
  });

  it('switches to English and keeps the page', async () => {
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`**/dashboard/contacts/${TRUTH.anna.id}?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { name: 'Timeline' }).isVisible()).toBe(true);
    expect(await cell('data-kind="deferred"', 'kind')).toBe('Deferred');
    expect(await cell('data-kind="deferred"', 'reason')).toBe('quiet hours (quiet_hours) · until Jan 17, 2025, 09:00 AM GMT+10');
    await page.getByRole('link', { name: 'Funnels', exact: true }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Funnels overview');
    expect(await cell('data-funnel="course"', 'revenue')).toBe('3,500.00');
    await shot('5-english');
    expect(problems).toEqual([]);
  });

  it("opens a funnel's Preview: three test customers' timelines from a simulation, on the page's clock and in its language", async () => {
    await page.getByRole('link', { name: 'Курс «Python с нуля»' }).first().click();
    // The click waits for the navigation, which waits for the simulation: give it the minute the URL wait allows.
    await page.getByRole('link', { name: /^▶ Preview/ }).click({ timeout: 60_000 });
    await page.waitForURL('**/dashboard/funnels/course/preview', { timeout: 60_000 });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Preview: Курс «Python с нуля»');
    expect(await page.locator('section[data-persona] h2').allInnerTexts()).toEqual([
      'Молчун — opens and clicks nothing', 'Активный — opens and clicks every touch, watches every webinar to the end', 'Покупатель — reaches the goal 10 minutes after the first touch',
    ]);
    const silent = page.locator('section[data-persona="Молчун"]');
    expect(await silent.locator('tr[data-step="welcome"] td[data-col="status"]').innerText()).toBe('in outbox');
    expect(await page.locator('section[data-persona="Покупатель"] .outcome strong').innerText()).toBe('converted at step pause; touches before it: 1');
    await shot('6-preview');
    expect(problems).toEqual([]);
  }, 90_000);
});
