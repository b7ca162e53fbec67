import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink';
import { eventually, freePort } from '../helpers/ports';
import { startStack, stopStack } from '../helpers/stack';
import type { Hono } from 'hono';
import { DashboardClient } from '../browser/dashboard-client';
import { engineDatabaseEnv, TEST_DB } from '../helpers/test-db';

const TOKEN = 'e2e-token-0123456789abcdef';


describe('the whole stack (npm start)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let env: Record<string, string>;
  let base: string;
  let stack: ReturnType<typeof startStack> | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-e2e-')),
      FUNNELS_DIR: resolve('test/e2e/funnels'), SMTP_URL: smtp.url, MAIL_FROM: 'Школа <school@example.test>',
      API_TOKEN: TOKEN, ADMIN_PASSWORD: 'e2e-admin-password',
      TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_TASK_QUEUE: 'autofunnel-e2e', LOG_LEVEL: 'info',
      ...(await engineDatabaseEnv()), // DATABASE_URL=postgres://… in the PostgreSQL run
    };
  });
  afterAll(async () => {
    if (stack) await stopStack(stack.child);
    await smtp?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() as any };
  };
  const healthy = async () => (await fetch(`${base}/health`).then((r) => r.json()).catch(() => null)) as any;
  const mailsTo = (subject: string) => smtp.mails.filter((m) => m.subject === subject);

  it('sends, branches, survives a restart mid-wait, and credits the conversion to the right touch', async () => {
    stack = startStack(env);
    const health = await eventually(async () => { const h = await healthy(); return h?.status === 'ok' && h; }, 'health ok', 90_000, 500)
      .catch((err) => { throw new Error(`${err.message}\n${stack!.output()}`); });
    expect(health).toEqual({ status: 'ok', db: 'ok', temporal: 'ok' });
    expect(stack.output()).toMatch(TEST_DB === 'postgres' ? /database ready postgres=postgres:\/\/\S*@127\.0\.0\.1:\d+\/t_/ : /database ready file=.*autofunnel\.sqlite/);
    expect(stack.output()).toMatch(/dashboard: +http:\/\/127\.0\.0\.1:\d+\/dashboard/);
    expect(stack.output()).toMatch(/temporal: +127\.0\.0\.1:\d+ +\(ui: http/);
    // A broken funnel file is refused with the check's message; the others are served.
    expect(stack.output()).toContain("funnel refused: test/e2e/funnels/broken-promo.ts: broken-promo/used: event 'promo.usd' is not known to this funnel");
    expect((await api('GET', '/api/funnels')).body.map((f: { id: string }) => f.id)).toEqual(['quick-welcome']);
    // The engine keeps what it refused: the dashboard overview says so in a red banner while the file stays broken.
    const dashboard = new DashboardClient({ request: (url: string, init?: RequestInit) => fetch(`${base}${url}`, { ...init, redirect: 'manual' }) } as unknown as Hono, 'e2e-admin-password');
    const overview = await dashboard.page('/dashboard', await dashboard.login());
    expect(overview).toMatch(/<div class="refused" role="alert" data-refused="1">/);
    expect(overview).toContain('test/e2e/funnels/broken-promo.ts: broken-promo/used: event &#39;promo.usd&#39; is not known to this funnel');

    const contact = await api('POST', '/api/contacts', { email: 'anna@example.test', name: 'Анна Петрова', timezone: 'Europe/Moscow', attributes: { course: 'Python с нуля' }, consent: { email: true } });
    expect(contact.status).toBe(201);
    const lead = await api('POST', '/api/events', { contactId: contact.body.id, name: 'lead.created', idempotencyKey: 'lead-1' });
    expect(lead.status).toBe(202);

    const hello = await eventually(() => mailsTo('Здравствуйте, Анна!')[0], 'the first email', 30_000);
    expect(hello.to).toEqual(['anna@example.test']);
    expect(hello.html).toContain('Вы записались на курс «Python с нуля»');

    expect((await api('POST', '/api/events', { contactId: contact.body.id, name: 'hello.clicked' })).status).toBe(202);
    const thanks = await eventually(() => mailsTo('Отлично, урок открыт')[0], 'the click branch email', 30_000);

    // Restart the whole stack (Temporal child included) while the enrollment sits in the 8 s wait.
    expect(await stopStack(stack.child)).toBe(0);
    expect(mailsTo('Скидка 30% до пятницы')).toEqual([]); // the wait was still pending when the stack went down
    stack = startStack(env);
    await eventually(async () => (await healthy())?.status === 'ok', 'health ok after restart', 90_000, 500)
      .catch((err) => { throw new Error(`${err.message}\n${stack!.output()}`); });

    const offer = await eventually(() => mailsTo('Скидка 30% до пятницы')[0], 'the offer after the restart', 60_000);
    expect(offer.receivedAt - thanks.receivedAt).toBeGreaterThanOrEqual(8_000 - 500); // the timer kept its deadline
    const paid = await api('POST', '/api/events', { contactId: contact.body.id, name: 'order.paid', value: 14900, idempotencyKey: 'order-1' });
    expect(paid.status).toBe(202);

    const en = await eventually(async () => {
      const c = await api('GET', `/api/contacts/${contact.body.id}`);
      const id = c.body.enrollments?.[0]?.id;
      const e = id && (await api('GET', `/api/enrollments/${id}`)).body;
      return e?.status === 'converted' && e;
    }, 'the enrollment to convert', 30_000);
    expect(en.timeline.filter((t: any) => t.type === 'delivery').map((t: any) => t.touchId)).toEqual(['hello', 'thanks', 'offer']);

    const stats = await api('GET', '/api/funnels/quick-welcome/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ funnelId: 'quick-welcome', enrolled: 1, converted: 1, revenue: 14900 });
    const byTouch = Object.fromEntries(stats.body.touches.map((t: any) => [t.touchId, t]));
    expect(byTouch.offer).toMatchObject({ sent: 1, delivered: 1, converted: 1, conversionRate: 1, revenue: 14900 });
    expect(byTouch.hello).toMatchObject({ sent: 1, converted: 0, clicked: 1 });
    expect(byTouch.nudge).toMatchObject({ sent: 0 });

    // No touch lost or doubled across the restart, and nothing after the goal.
    await new Promise((r) => setTimeout(r, 12_000));
    expect(smtp.mails.map((m) => m.subject).sort()).toEqual(['Здравствуйте, Анна!', 'Отлично, урок открыт', 'Скидка 30% до пятницы'].sort());
  }, 300_000);
});
