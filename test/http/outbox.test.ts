import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import type { Hono } from 'hono';
import { createEmailOutbox, createSmsOutbox, createTelegramOutbox } from '../../src/channels/outbox';
import { FunnelRegistry } from '../../src/engine/registry';
import { createApp } from '../../src/http/app';
import { createDashboard } from '../../src/http/dashboard/index';
import { silentLogger } from '../../src/log';
import { FakeGateway } from '../helpers/fake-gateway';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient, rowCells } from '../browser/dashboard-client';
import { expectError, TOKEN } from './test-app';

const PASSWORD = 'outbox-test-password';
const SECRET = 'outbox-secret-0123456789abcdef';

let db: Db;
let close: () => Promise<void>;
let api: Hono;
let dashboard: Hono;

type Message = { id: string; createdAt: string; localTime: string; timezone: string; channel: string; recipient: string; recipientName: string | null; contactId: string | null; funnelId: string | null; touchId: string | null; test: boolean; subject: string | null };

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  // Anna (ct_1) lives in Vladivostok: her message is shown on her clock.
  await db.insertInto('outbox').values({ id: 'ob_3', delivery_id: 'dl_lesson-2_1', channel: 'email', recipient: 'anna@example.ru', subject: 'Урок 2', html: '<p style="color:red">Урок 2</p><img src="https://funnels.example/t/o/x">', text: null, created_at: T0 + 2 * 86_400_000 }).execute();
  const funnels = new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]);
  const testSend = { email: createEmailOutbox(db), sms: createSmsOutbox(db), telegram: createTelegramOutbox(db), mailFrom: 'Школа <s@example.test>', publicUrl: 'https://funnels.example.test', secretKey: SECRET };
  api = createApp({ db, gateway: new FakeGateway(), funnels, log: silentLogger, now: () => T0 + 5 * 86_400_000, apiToken: TOKEN, testSend });
  dashboard = createDashboard({ db, funnels, adminPassword: PASSWORD, secretKey: SECRET, outboxMode: true, now: () => T0 });
  // A test send in outbox mode is stored, marked as a test, with no ledger row.
  const res = await api.request('/api/funnels/course/touches/welcome/test', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: { email: 'marketer@example.test' } }) });
  expect(res.status, await res.clone().text()).toBe(200);
});
afterAll(async () => close?.());

const get = async (query = '') => {
  const res = await api.request(`/api/outbox${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { res, body: res.status === 200 ? ((await res.json()) as Message[]) : [] };
};

describe('GET /api/outbox', () => {
  it('lists the outbox newest first, with funnel, touch, contact by name and the time in the contact zone', async () => {
    const { res, body } = await get();
    expect(res.status).toBe(200);
    expect(body.map((m) => [m.channel, m.touchId, m.contactId, m.test])).toEqual([
      ['email', 'welcome', null, true], ['sms', 'reminder', 'ct_5', false], ['email', 'lesson-2', 'ct_1', false], ['email', 'welcome', 'ct_5', false],
    ]);
    const [test, , anna, darya] = body;
    expect(test).toMatchObject({ funnelId: 'course', recipient: 'marketer@example.test', subject: '[Тест] Добро пожаловать', timezone: 'Europe/Moscow', recipientName: null });
    expect(anna).toMatchObject({ recipientName: 'Анна Смирнова', timezone: 'Asia/Vladivostok', createdAt: '2025-01-17T06:00:00.000Z', localTime: '2025-01-17T16:00:00+10:00' });
    expect(darya).toMatchObject({ recipientName: 'Дарья', timezone: 'Europe/Moscow', funnelId: 'course' }); // no zone of her own: the funnel's
    expect(await db.selectFrom('deliveries').select('id').where('id', 'like', 'test:%').execute()).toEqual([]);
  });

  it('filters by funnel and contact and limits the answer', async () => {
    expect((await get('?contactId=ct_5')).body.map((m) => m.touchId)).toEqual(['reminder', 'welcome']);
    expect((await get('?funnelId=course&limit=2')).body.map((m) => m.touchId)).toEqual(['welcome', 'reminder']);
    expect((await get('?funnelId=other')).body).toEqual([]);
    await expectError((await get('?limit=0')).res, 422, 'validation_failed');
    await expectError((await get('?limit=abc')).res, 422, 'validation_failed');
    await expectError((await get('?funnelId=Bad%25')).res, 422, 'validation_failed');
    await expectError((await get('?color=red')).res, 400, 'bad_request');
  });
});

describe('dashboard outbox page', () => {
  it('shows times in the recipient zone with the zone, recipients by name, test sends marked, email in a sandboxed frame', async () => {
    const client = new DashboardClient(dashboard, PASSWORD);
    const jar = await client.login();
    const res = await client.get('/dashboard/outbox?lang=en', jar);
    expect(res.headers.get('content-security-policy')).toContain("frame-src 'self'");
    const html = await res.text();
    expect(rowCells(html, 'data-outbox', 'ob_3')).toMatchObject({ recipientName: 'Анна Смирнова', recipient: 'anna@example.ru', createdAt: expect.stringContaining('Asia/Vladivostok') });
    expect(html).toMatch(/<time datetime="2025-01-17T16:00:00\+10:00">/);
    expect(rowCells(html, 'data-outbox', 'ob_1')).toMatchObject({ recipientName: 'Дарья', createdAt: expect.stringContaining('Europe/Moscow') });
    expect(html).toContain('<iframe class="mail" sandbox="" src="/dashboard/outbox/ob_3/frame"');
    expect(html).toContain('data-test-send="yes">test</span>');
    const csv = await (await client.get('/dashboard/outbox.csv', jar)).text();
    expect(csv.split('\r\n')[0]).toContain('createdAt,timezone,channel,recipientName,recipient,test,contactId');
    expect(csv).toContain('2025-01-17T16:00:00+10:00,Asia/Vladivostok,email,Анна Смирнова,anna@example.ru,false,ct_1');
  });

  it('serves an email body to the frame with a CSP that runs, loads and submits nothing, framable by the dashboard only', async () => {
    const client = new DashboardClient(dashboard, PASSWORD);
    const jar = await client.login();
    const frame = await client.get('/dashboard/outbox/ob_3/frame', jar);
    expect(frame.status).toBe(200);
    const csp = frame.headers.get('content-security-policy') ?? '';
    expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; frame-ancestors 'self'; sandbox");
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const body = await frame.text();
    expect(body).toContain('<base target="_blank"><');
    expect(body).toContain('<p style="color:red">Урок 2</p>');
    expect((await client.get('/dashboard/outbox/ob_2/frame', jar)).status).toBe(404); // an SMS has no HTML
    expect((await client.get('/dashboard/outbox/nope/frame', jar)).status).toBe(404);
    expect((await dashboard.request('/dashboard/outbox/ob_3/frame')).status).toBe(302); // the session guards it too
    expect((await client.get('/dashboard/outbox', jar)).headers.get('x-frame-options')).toBe('DENY');
  });
});
