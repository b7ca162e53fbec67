import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import webpush from 'web-push';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_PUBLIC_URL, TEST_SECRET_KEY, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { serveApp } from '../helpers/serve-app';
import { startFakePushService } from '../helpers/fake-push-service';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { asEmail, email, wait } from '../../src/dsl/steps';
import { asPush, push } from '../../src/dsl/steps-push';
import { Plan } from '../../src/dsl/plan';
import { validateFunnel } from '../../src/dsl/check';
import { pageUrl } from '../../src/pages/page-url';
import { createWebPushChannel } from '../../src/channels/push/web-push-channel';
import { createServerApp } from '../../src/runtime/server-app';

const H = 3_600_000;
const vapid = webpush.generateVAPIDKeys();

const funnel: VersionedPlan = {
  version: 'push-1',
  plan: {
    id: 'live', name: 'Эфир', entry: null, timezone: 'Europe/Moscow', attributes: [], events: [],
    goal: { event: 'order.paid', withinMs: 30 * 24 * H, exit: true },
    pages: [{ id: 'thanks', title: 'Спасибо', html: '<h1>Вы записаны, {{ contact.firstName }}</h1>' }],
    steps: [
      email('welcome', { subject: 'Вы записаны', text: 'Ссылка придёт перед эфиром' }),
      wait('until-live', '2h'),
      push('reminder', {
        title: 'Эфир через час', body: '{{ contact.firstName }}, начинаем в 19:00', url: 'https://school.example.test/live',
        fallback: [asEmail({ subject: 'Эфир через час', text: 'Начинаем в 19:00' })],
      }),
      wait('after-live', '1d'),
      push('replay', {
        title: 'Запись эфира', body: 'Смотрите запись', url: 'https://school.example.test/replay',
        fallback: [asEmail({ subject: 'Запись эфира', text: 'Смотрите запись: https://school.example.test/replay' })],
      }),
    ],
  },
};

describe('push() touches: subscribe on a funnel page, send, click, expire (virtual time, loopback push service)', () => {
  let env: TestWorkflowEnvironment;
  let svc: Awaited<ReturnType<typeof startFakePushService>>;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    svc = await startFakePushService();
  });
  afterAll(async () => {
    await svc?.close();
    await env?.teardown();
  });

  it('is a valid plan that npm run check accepts, and asPush is a fallback like the others', () => {
    expect(Plan.safeParse(funnel.plan).success).toBe(true);
    expect(validateFunnel({ ...funnel.plan } as never).problems).toEqual([]);
    expect(asPush({ title: 'Т', body: 'Б' })).toEqual({ channel: 'push', title: 'Т', body: 'Б' });
    const broken = { ...funnel.plan, steps: [push('p', { title: '', body: 'x', fallback: [asPush({ title: 'a', body: '{{ contact.nope }' })] })] };
    expect(validateFunnel(broken as never).problems.map((p) => p.step)).toContain('p');
  });

  it('stores the subscription through the page, sends the notification encrypted with its tracked link, counts the click, and falls back to email once the subscription expired', async () => {
    const mail = recordingEmail();
    const channel = createWebPushChannel({ vapid: { ...vapid, subject: 'mailto:school@example.test' }, agent: svc.agent });
    await withHarness(env, [funnel], mail.channel, async (h) => {
      const served = await serveApp(createServerApp(h.deps, {
        apiToken: 'test-api-token-0123456789', secretKey: TEST_SECRET_KEY, adminPassword: 'admin-password', publicUrl: TEST_PUBLIC_URL,
        trustProxy: false, outboxChannels: [], pushKey: vapid.publicKey,
      }));
      const local = (url: string) => url.replace(TEST_PUBLIC_URL, served.url);
      try {
        const { contact } = await upsertContact(h.db, { email: 'anna@example.test', name: 'Анна', consent: { email: true } }, 'api');
        await enroll(h.deps, 'live', contact.id);
        await eventually(async () => mail.sent.length === 1, 'the welcome email');

        // The thank-you page offers the subscription: the VAPID key and the page token in the box, the nonce'd script allowed.
        const link = pageUrl(TEST_PUBLIC_URL, TEST_SECRET_KEY, 'live', 'thanks', contact.id);
        const page = await fetch(local(link));
        const html = await page.text();
        expect(page.status).toBe(200);
        expect(html).toContain('id="af-push"');
        expect(html).toContain(`data-key="${vapid.publicKey}"`);
        const nonce = /<script src="[^"]+\/push\/subscribe\.js" nonce="([^"]+)"/.exec(html)?.[1];
        expect(nonce).toBeTruthy();
        const csp = page.headers.get('content-security-policy')!;
        expect(csp).toContain(`script-src 'nonce-${nonce}'`);
        expect(csp).toContain("worker-src 'self'");
        expect(csp).toContain("connect-src 'self'");
        for (const path of ['/push/subscribe.js', '/push/sw.js']) {
          const js = await fetch(`${served.url}${path}`);
          expect(js.status).toBe(200);
          expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
          expect(await js.text()).toMatch(path.endsWith('sw.js') ? /notificationclick/ : /pushManager\.subscribe/);
        }

        // What the page's script posts after pushManager.subscribe(): the browser's subscription and the page token.
        const browser = svc.browser();
        const token = new URL(link).searchParams.get('t')!;
        const post = (body: unknown) => fetch(`${served.url}/push/subscriptions`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (test browser)' }, body: JSON.stringify(body),
        });
        const subscription = { ...browser, expirationTime: null };
        const first = await post({ funnelId: 'live', pageId: 'thanks', token, subscription, wording: 'Получать уведомления' });
        expect(first.status).toBe(201);
        const { id } = await first.json() as { id: string };
        const again = await post({ funnelId: 'live', pageId: 'thanks', token, subscription, wording: 'Получать уведомления' });
        expect(again.status).toBe(200);
        expect(await again.json()).toEqual({ id });
        const forged = await post({ funnelId: 'live', pageId: 'thanks', token: `${contact.id}.forged`, subscription: svc.browser() });
        expect(forged.status).toBe(404);
        expect((await post({ funnelId: 'live', pageId: 'thanks', token, subscription: { endpoint: 'http://insecure.example/x', keys: browser.keys } })).status).toBe(422);
        expect((await post({ funnelId: 'live', pageId: 'thanks', token })).status).toBe(400);
        expect(await h.db.selectFrom('push_subscriptions').select(['id', 'contact_id', 'endpoint']).execute()).toEqual([{ id, contact_id: contact.id, endpoint: browser.endpoint }]);
        const exported = await fetch(`${served.url}/api/contacts/${contact.id}/export`, { headers: { authorization: 'Bearer test-api-token-0123456789' } });
        expect(((await exported.json()) as { pushSubscriptions: unknown[] }).pushSubscriptions).toEqual([expect.objectContaining({ id, endpoint: browser.endpoint, pageId: 'thanks' })]);
        const consent = await h.db.selectFrom('consent_log').select(['channel', 'granted', 'source', 'user_agent', 'wording']).where('channel', '=', 'push').execute();
        expect(consent).toEqual([
          { channel: 'push', granted: 1, source: 'push:live/thanks', user_agent: 'Mozilla/5.0 (test browser)', wording: 'Получать уведомления' },
          { channel: 'push', granted: 1, source: 'push:live/thanks', user_agent: 'Mozilla/5.0 (test browser)', wording: 'Получать уведомления' },
        ]);

        // Two hours later the reminder goes out as a push: encrypted for that browser, its link tracked.
        await h.advance(2 * H);
        await eventually(async () => svc.got.some((g) => g.path === new URL(browser.endpoint).pathname), 'the reminder push');
        const sent = svc.got.find((g) => g.path === new URL(browser.endpoint).pathname)!;
        expect(sent.payload).toMatchObject({ title: 'Эфир через час', body: 'Анна, начинаем в 19:00', url: expect.stringMatching(new RegExp(`^${TEST_PUBLIC_URL}/t/c/`)) });
        expect(sent.headers.ttl).toBe('86400');
        await eventually(async () => (await h.db.selectFrom('deliveries').select('status').where('touch_id', '=', 'reminder').executeTakeFirst())?.status === 'sent', 'the reminder in the ledger');
        expect(await h.db.selectFrom('deliveries').select(['channel', 'recipient']).where('touch_id', '=', 'reminder').executeTakeFirstOrThrow()).toEqual({ channel: 'push', recipient: id });

        // The service worker opens the notification's URL on a click: the tracked link redirects and records the click.
        const click = await fetch(local(sent.payload!.url as string), { redirect: 'manual' });
        expect(click.status).toBe(302);
        expect(click.headers.get('location')).toMatch(/^https:\/\/school\.example\.test\/live/);
        await eventually(async () => (await h.db.selectFrom('events').select('name').where('name', '=', 'reminder.clicked').execute()).length === 1, 'reminder.clicked');

        // The browser dropped the subscription: the push service answers 410, the row goes, the replay falls back to email.
        svc.expire(browser.endpoint);
        await h.advance(24 * H);
        await eventually(async () => mail.sent.some((m) => m.subject === 'Запись эфира'), 'the replay by email');
        expect(await h.db.selectFrom('push_subscriptions').select('id').execute()).toEqual([]);
        const replay = await h.db.selectFrom('deliveries').select(['channel', 'status']).where('touch_id', '=', 'replay').executeTakeFirstOrThrow();
        expect(replay).toEqual({ channel: 'email', status: 'delivered' });
        const log = await h.db.selectFrom('touch_log').select(['kind', 'reason', 'channel']).where('touch_id', '=', 'replay').where('kind', '=', 'fallback').execute();
        expect(log).toEqual([{ kind: 'fallback', reason: 'push: push subscription expired (HTTP 410)', channel: 'push' }]);
        await eventually(async () => (await h.db.selectFrom('events').select('name').where('name', '=', 'push.expired').execute()).length === 1, 'push.expired');
        expect(mail.sent.map((m) => m.subject)).toEqual(['Вы записаны', 'Запись эфира']);
      } finally {
        await served.close();
      }
    }, { push: channel });
  });
});
