import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Plan } from '../../src/dsl/plan';
import { artifactPath, launchChromium } from '../helpers/browser';
import { SERVED, startServedApp, type ServedTestApp } from '../helpers/served-app';

/*
 * The funnel page leads with the money: a person in Chromium (no JavaScript, 1,280 px wide) reads revenue, ROMI and
 * cost, and the touches ranked by the revenue credited to them, seeded through the real API.
 */

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00Z');
const plan = {
  timezone: 'Europe/Moscow', attributes: [], events: [], id: 'shop', name: 'Магазин курсов', entry: null,
  goal: { event: 'order.paid', withinMs: 30 * 24 * HOUR, exit: false },
  steps: [
    { type: 'email', id: 'offer', subject: 'Скидка 20% до пятницы', text: 'Успейте' },
    { type: 'sms', id: 'remind', text: 'Напоминаем: скидка сгорает сегодня' },
  ],
} as Plan;

let app: ServedTestApp;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

beforeAll(async () => {
  app = await startServedApp({ plans: [plan], now: () => T0, extra: () => ({ messageCosts: { email: 50, telegram: 0 } }) });
  const contact = (await app.api('POST', '/api/contacts', { email: 'anna@example.test', source: { utm_source: 'vk' } })).json;
  const { enrollmentId } = (await app.api('POST', '/api/funnels/shop/enrollments', { contactId: contact.id })).json;
  const sent = (touchId: string, channel: string, at: number, cost: number | null) => app.db.insertInto('deliveries').values({
    id: `dl_${touchId}`, enrollment_id: enrollmentId, funnel_id: 'shop', contact_id: contact.id, touch_id: touchId, channel, status: 'sent',
    reason: null, recipient: 'x', subject: null, provider_message_id: null, attempts: 1, scheduled_at: at, created_at: at, sent_at: at,
    delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null, cost,
  }).execute();
  await sent('offer', 'email', T0 + HOUR, null);
  await app.api('POST', '/api/events', { contactId: contact.id, name: 'order.paid', value: 5000, occurredAt: new Date(T0 + 2 * HOUR).toISOString() });
  await sent('remind', 'sms', T0 + 3 * HOUR, 3.5);
  await app.api('POST', '/api/events', { contactId: contact.id, name: 'order.paid', value: 1000, occurredAt: new Date(T0 + 4 * HOUR).toISOString() });
  expect((await app.api('POST', '/api/spend', { source: 'vk', date: '2025-03-01', amount: 1000 })).status).toBe(201);
  browser = await launchChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  // Anything the browser complains about (a CSP violation, a broken link) except its own favicon request.
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`); });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.stop();
});

describe('the funnel page in a browser: money first', () => {
  it('shows revenue, ROMI and cost, and ranks the touches by credited revenue with their message cost', async () => {
    await page.goto(`${app.url}/login`);
    await page.getByLabel('Пароль').fill(SERVED.adminPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.goto(`${app.url}/dashboard/funnels/shop`);
    const tile = async (name: string) => plain(await page.locator(`[data-money="${name}"] .big`).innerText());
    expect(await tile('revenue')).toBe('6 000,00 ₽');
    expect(await tile('conversions')).toBe('1');
    // cost = 1,000 ad spend + 3.50 SMS + 0.50 email = 1,004.00; ROMI = (6,000 − 1,004) / 1,004 = 497.6 %
    expect(await tile('cost')).toBe('1 004,00 ₽');
    expect(await tile('romi')).toBe('497,6 %');
    const ranked = page.locator('ol.ranked li');
    expect(await ranked.evaluateAll((items) => items.map((li) => li.getAttribute('data-ranked-touch')))).toEqual(['offer', 'remind']);
    expect(plain(await ranked.nth(0).innerText())).toContain('Скидка 20% до пятницы');
    expect(plain(await ranked.nth(0).locator('[data-col="revenue"]').innerText())).toBe('5 000,00 ₽');
    expect(plain(await ranked.nth(1).locator('[data-col="revenue"]').innerText())).toBe('1 000,00 ₽');
    expect(plain(await ranked.nth(1).locator('[data-col="messageCost"]').innerText())).toBe('3,50 ₽');
    // The money comes before the per-touch detail.
    const money = await page.locator('section.money').boundingBox();
    const table = await page.locator('#touches').first().boundingBox();
    expect(money!.y).toBeLessThan(table!.y);
    expect(problems).toEqual([]);
    await page.screenshot({ path: artifactPath('dashboard-money-1280.png'), fullPage: false });
  });

  it('fits the per-touch table into 1,280 px with what the customer saw, and draws conversions over time and touches before purchase', async () => {
    await page.goto(`${app.url}/dashboard/funnels/shop`);
    // Nothing on the page scrolls sideways: neither the page nor any table's scroll box.
    const overflow = await page.evaluate(`({
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      boxes: [...document.querySelectorAll('.scroll')].map((el) => ({ id: el.closest('.table-block')?.id ?? '', over: el.scrollWidth - el.clientWidth })).filter((b) => b.over > 0),
    })`);
    expect(overflow, JSON.stringify(overflow)).toEqual({ page: 0, boxes: [] });
    const heads = await page.locator('#touches thead th').evaluateAll((ths) => ths.map((th) => (th as unknown as { innerText: string }).innerText.trim()));
    expect(heads.slice(0, 3)).toEqual(['Касание', 'Конверсии', 'Выручка']); // conversions and revenue come first
    expect(heads).not.toContain('Пропущено');
    const offer = page.locator('#touches tr[data-touch="offer"]');
    expect(plain(await offer.locator('[data-col="touchId"]').innerText())).toBe('offer email Скидка 20% до пятницы');
    const skipped = page.locator('#touches tr[data-touch-detail="remind"] td[data-col="skipped"]'); // the rare figures fold into the detail row
    expect([await skipped.getAttribute('data-label'), await skipped.innerText()]).toEqual(['Пропущено', '0']);
    // Conversions over time: one bar per day of the funnel's zone (Moscow), the purchase on 1 March, labelled «1 мар.».
    const bars = page.locator('svg.conversions-chart g[data-date]');
    expect(await bars.evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-date'), g.getAttribute('data-converted')]))).toEqual([['2025-03-01', '1']]);
    expect(plain(await page.locator('svg.conversions-chart text').first().textContent() ?? '')).toBe('1 мар.');
    // Touches before purchase: Anna's one purchase came after one touch (the email).
    expect(await page.locator('svg.journey-chart g[data-touches="1"]').getAttribute('data-conversions')).toBe('1');
    expect(problems).toEqual([]);
    await page.screenshot({ path: artifactPath('dashboard-funnel-1280.png'), fullPage: true });
  });
});
