import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { openSeededDb } from '../browser/seed-dashboard';
import { cookieHeader, DashboardClient, plain, rowCells } from '../browser/dashboard-client';
import { serveOnLoopback, type ServedApp } from '../helpers/browser';
import { loadExampleFunnel } from '../helpers/example-funnel';

const PASSWORD = 'preview-test-password';
const SECRET = 'preview-test-secret-0123456789';

let db: Db;
let close: () => Promise<void>;
let served: ServedApp;
let jar: Record<string, string>;

async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['contacts', 'enrollments', 'deliveries', 'events', 'outbox'] as const) {
    out[t] = Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }
  return out;
}

beforeAll(async () => {
  ({ db, close } = await openSeededDb());
  const course = await loadExampleFunnel('course-welcome');
  const app = createDashboard({ db, funnels: new FunnelRegistry([course]), adminPassword: PASSWORD, secretKey: SECRET, outboxMode: true });
  jar = await new DashboardClient(app, PASSWORD).login();
  served = await serveOnLoopback(app);
});

afterAll(async () => {
  await served?.close();
  await close?.();
});

const get = (path: string, withSession = true) => fetch(`${served.url}${path}`, { headers: withSession ? { cookie: cookieHeader(jar) } : {}, redirect: 'manual' });

describe('dashboard funnel Preview', () => {
  it('links to the Preview from the funnel page', async () => {
    const html = await (await get('/dashboard/funnels/course-welcome')).text();
    expect(html).toContain('href="/dashboard/funnels/course-welcome/preview"');
    expect(html).toContain('Предпросмотр');
  });

  it('runs the built-in personas in virtual time and shows their timelines in Russian and English, leaving the live database alone', async () => {
    const before = await tableCounts();
    const res = await get('/dashboard/funnels/course-welcome/preview');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Предпросмотр: Курс «Python с нуля»: welcome-серия</h1>');
    expect(html).toContain('Молчун<span class="muted"> — ничего не открывает и не нажимает</span>');
    expect(plain(html)).toContain('прошёл воронку до конца, касаний: 7');
    expect(plain(html)).toContain('конверсия на шаге night-1, касаний до неё: 1');
    const lastCall = rowCells(html, 'data-step', 'last-call');
    expect(lastCall).toMatchObject({ day: '6', step: 'last-call', channel: 'email', status: 'в тестовом ящике', subject: 'Анна, последний шанс: скидка сгорает утром' });
    expect(lastCall.at).toMatch(/20:00/);
    expect(html).toMatch(/<tr data-persona="Молчун"><td>Молчун<\/td><td class="num">7<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">7<\/td>/);

    const en = await (await get('/dashboard/funnels/course-welcome/preview?lang=en')).text();
    expect(en).toContain('<h1>Preview: Курс «Python с нуля»: welcome-серия</h1>');
    expect(plain(en)).toContain('went through the whole funnel; touches: 7');
    expect(plain(en)).toContain('converted at step night-1; touches before it: 1');
    expect(en).toContain('opens and clicks every touch, watches every webinar to the end');

    expect(await tableCounts()).toEqual(before);
  }, 120_000);

  it('is behind the session like every dashboard page, and 404 for an unknown funnel', async () => {
    const res = await get('/dashboard/funnels/course-welcome/preview', false);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/dashboard/funnels/course-welcome/preview')}`);
    expect((await get('/dashboard/funnels/no-such/preview')).status).toBe(404);
  });
});
