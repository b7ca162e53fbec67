import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp } from '../../src/http/app';
import { createDashboard } from '../../src/http/dashboard/index';
import { createLogger } from '../../src/log';
import { storeFunnelVersions } from '../../src/db/funnels';
import { FakeGateway } from '../helpers/fake-gateway';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';
import { artifactPath, launchChromium, serveOnLoopback, type ServedApp } from '../helpers/browser';
import { insertDelivery, T0, welcomePlan } from '../http/test-app';

const PASSWORD = 'browser-test-password';
const TOKEN = 'browser-test-token';
const HOUR = 3_600_000;

let fresh: TestDatabase;
let served: ServedApp;
let browser: Browser;
let page: Page;
let contactId: string;
const clock = { now: T0 + 3 * HOUR };

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${served.url}${path}`, {
    method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> };
};
const cell = async (row: string, col: string) =>
  (await page.locator(`tr[${row}] td[data-col="${col}"]`).first().innerText()).replace(/[\s\u00a0\u202f]+/g, ' ').trim();

beforeAll(async () => {
  fresh = await freshDatabase();
  const { db } = fresh;
  const funnelList = [{ plan: welcomePlan, version: 'v1' }];
  await storeFunnelVersions(db, funnelList, T0);
  const funnels = new FunnelRegistry(funnelList);
  const now = () => clock.now;
  const app = createApp({
    db, gateway: new FakeGateway(), funnels, log: createLogger('error'), now, apiToken: TOKEN,
    extra: (root) => root.route('/', createDashboard({ db, funnels, adminPassword: PASSWORD, secretKey: 'browser-secret-0123456789', now })),
  });
  served = await serveOnLoopback(app);
  clock.now = T0;
  contactId = (await api('POST', '/api/contacts', { email: 'anna@example.test', name: 'Анна' })).json.id as string;
  const enrollmentId = (await api('POST', '/api/funnels/welcome/enrollments', { contactId })).json.enrollmentId as string;
  await insertDelivery(db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
  clock.now = T0 + 3 * HOUR;
  browser = await launchChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU', viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await served?.close();
  await fresh?.close();
});

describe('logging a staff touch on the dashboard', () => {
  it('logs a call from the contact page; it shows in the journey and timeline, and the purchase credits it on the funnel page', async () => {
    await page.goto(`${served.url}/dashboard/contacts/${contactId}`);
    await page.getByLabel('Пароль').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.goto(`${served.url}/dashboard/contacts/${contactId}`);
    const form = page.locator('form#log-touch');
    await form.locator('select[name="kind"]').selectOption('call');
    await form.getByLabel('Сотрудник').fill('Иван');
    await form.locator('input[name="at"]').fill('2025-03-01T12:30');
    await form.locator('select[name="funnelId"]').selectOption('welcome');
    await form.getByLabel('Итог').fill('записалась на курс');
    await form.getByRole('button', { name: 'Записать' }).click();
    await page.waitForURL(/touchLogged=1/);
    expect(await page.locator('[data-touch-logged]').getAttribute('data-touch-logged')).toBe('yes');
    const journey = page.locator('ol[data-journey] li');
    expect(await journey.evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-touch')}`)))
      .toEqual(['enrolled:', 'sent:hello', 'staff_touch:call']);
    const staffRow = page.locator('#timeline tr[data-kind="staff_touch"]');
    expect(await staffRow.count()).toBe(1);
    expect(await staffRow.innerText()).toContain('Иван · записалась на курс');
    await page.screenshot({ path: artifactPath('log-touch-contact.png'), fullPage: true });

    // a bad input comes back with the reason and stores nothing
    await form.getByLabel('Сотрудник').fill('Иван');
    await form.locator('input[name="at"]').fill('2031-01-01T10:00');
    await form.getByRole('button', { name: 'Записать' }).click();
    await page.waitForURL(/touchError=/);
    expect(await page.locator('[data-touch-logged]').getAttribute('data-touch-logged')).toBe('no');
    expect(await page.locator('#timeline tr[data-kind="staff_touch"]').count()).toBe(1);

    expect((await api('POST', '/api/events', { contactId, name: 'order.paid', value: 2500 })).status).toBe(202);
    await page.goto(`${served.url}/dashboard/funnels/welcome`);
    expect(await cell('data-touch="call"', 'converted')).toBe('1');
    expect(await cell('data-staff="Иван"', 'touches')).toBe('1');
    expect(await cell('data-staff="Иван"', 'conversions')).toBe('1');
    expect(await cell('data-staff="Иван"', 'speedToLeadMedianMs')).toMatch(/2 ч 30 мин/);
    await page.screenshot({ path: artifactPath('log-touch-funnel.png'), fullPage: true });
    const journeyAfter = await page.goto(`${served.url}/dashboard/contacts/${contactId}`);
    expect(journeyAfter?.status()).toBe(200);
    expect(await page.locator('ol[data-journey] li').last().getAttribute('data-step')).toBe('conversion');
  });

  it('refuses the form without its CSRF token', async () => {
    const cookies = await page.context().cookies();
    const res = await fetch(`${served.url}/dashboard/contacts/${contactId}/touches`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
      body: new URLSearchParams({ kind: 'call', by: 'Мошенник' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await fresh.db.selectFrom('logged_touches').select('by').execute()).toEqual([{ by: 'Иван' }]);
  });
});
