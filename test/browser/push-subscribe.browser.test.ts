import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import webpush from 'web-push';
import { serve, type ServerType } from '@hono/node-server';
import { FunnelRegistry } from '../../src/engine/registry';
import { createLogger } from '../../src/log';
import { storeFunnelVersions, type VersionedPlan } from '../../src/db/funnels';
import { upsertContact } from '../../src/db/contacts';
import { createServerApp } from '../../src/runtime/server-app';
import { pageUrl } from '../../src/pages/page-url';
import { push } from '../../src/dsl/steps-push';
import { FakeGateway } from '../helpers/fake-gateway';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';
import { launchChromium } from '../helpers/browser';
import { freePort } from '../helpers/ports';

const SECRET = 'browser-push-secret-0123456789';
const vapid = webpush.generateVAPIDKeys();
const funnel: VersionedPlan = {
  version: 'p1',
  plan: {
    id: 'live', name: 'Эфир', entry: null, timezone: 'Europe/Moscow', attributes: [], events: [], goal: { event: 'order.paid', withinMs: 86_400_000, exit: true },
    pages: [{ id: 'thanks', title: 'Спасибо', html: '<h1>Вы записаны</h1>' }],
    steps: [push('reminder', { title: 'Эфир', body: 'Скоро' })],
  },
};

/** What the stubbed PushManager hands out: a push service could not be reached from a sandboxed Chromium. */
const SUBSCRIPTION = {
  endpoint: 'https://push.example.test/push/abc',
  expirationTime: null,
  keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
};

describe('the push offer on a funnel page (Chromium)', () => {
  let fresh: TestDatabase;
  let server: ServerType;
  let url: string;
  let browser: Browser;
  let contactId: string;
  beforeAll(async () => {
    fresh = await freshDatabase();
    await storeFunnelVersions(fresh.db, [funnel]);
    contactId = (await upsertContact(fresh.db, { email: 'anna@example.test', name: 'Анна' }, 'api')).contact.id;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const app = createServerApp({ db: fresh.db, gateway: new FakeGateway(), funnels: new FunnelRegistry([funnel]), log: createLogger('error'), now: Date.now }, {
      apiToken: 'browser-push-token-0123456789', secretKey: SECRET, adminPassword: 'admin-password', publicUrl: url, trustProxy: false, outboxChannels: [], pushKey: vapid.publicKey,
    });
    server = await new Promise((resolve) => { const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s)); });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise<void>((r) => { (server as { closeAllConnections?: () => void })?.closeAllConnections?.(); server ? server.close(() => r()) : r(); });
    await fresh?.close();
  });

  it('runs under the page CSP: registers the service worker, subscribes with the VAPID key and stores the subscription', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    const problems: string[] = [];
    // A CSP refusal is a console error; a failed load is reported by URL (the browser's own /favicon.ico is not ours).
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
    page.on('pageerror', (e) => problems.push(e.message));
    // Chromium cannot reach a real push service here: the stub records the key it is asked to subscribe with.
    await page.addInitScript(`
      window.__key = [];
      PushManager.prototype.subscribe = async function (options) {
        window.__key = Array.from(new Uint8Array(options.applicationServerKey));
        return { toJSON: () => (${JSON.stringify(SUBSCRIPTION)}) };
      };
    `);
    await page.goto(pageUrl(url, SECRET, 'live', 'thanks', contactId));
    const button = page.getByRole('button', { name: 'Получать уведомления' });
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    await button.click();
    await page.getByText('Готово: уведомления включены').waitFor({ timeout: 10_000 });
    const key = await page.evaluate('window.__key') as number[];
    expect(Buffer.from(key).toString('base64url')).toBe(vapid.publicKey);
    const scope = await page.evaluate(`navigator.serviceWorker.getRegistration('/push/').then((r) => (r ? r.scope : null))`);
    expect(scope).toBe(`${url}/push/`);
    expect(await fresh.db.selectFrom('push_subscriptions').select(['contact_id', 'endpoint', 'user_agent']).execute())
      .toEqual([{ contact_id: contactId, endpoint: SUBSCRIPTION.endpoint, user_agent: expect.stringMatching(/Chrome/) }]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
