import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/dsl/plan';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createDashboard } from '../../src/http/dashboard/index';
import { recordEnrollmentMigration } from '../../src/versions/migration-rows';
import { DashboardClient, cookieHeader, hiddenCsrf, plain, rowCells } from '../browser/dashboard-client';
import { createTestApp, DAY, insertDelivery, T0, welcomePlan, type TestApp } from './test-app';

const HOUR = 3_600_000;
const PASSWORD = 'versions-dashboard-password';
const welcome2: Plan = {
  ...welcomePlan,
  steps: [welcomePlan.steps[0]!, { type: 'wait', id: 'pause', ms: 12 * HOUR }, { type: 'email', id: 'nudge', subject: 'Мы скучаем', text: 'x' }, { type: 'email', id: 'extra', subject: 'One more', text: 'x' }],
};

describe('dashboard: versions panel', () => {
  let t: TestApp;
  let client: DashboardClient;
  let dashboard: ReturnType<typeof createDashboard>;
  let enrollments: Array<{ id: string; contact_id: string; funnel_id: string }>;
  beforeEach(async () => {
    t = await createTestApp();
    for (const email of ['a@example.test', 'b@example.test']) await t.call('POST', '/api/funnels/welcome/enrollments', { contact: { email } });
    enrollments = await t.db.selectFrom('enrollments').select(['id', 'contact_id', 'funnel_id']).orderBy('id').execute();
    await t.db.updateTable('enrollments').set({ current_step: 'pause', current_step_at: T0 }).execute();
    await storeFunnelVersions(t.db, [{ plan: welcome2, version: 'v2' }], T0 + DAY);
    t.deps.funnels.replace([{ plan: welcome2, version: 'v2' }]);
    dashboard = createDashboard({ db: t.db, funnels: t.deps.funnels, adminPassword: PASSWORD, secretKey: 'versions-secret-0123456789', now: () => T0, engine: t.deps });
    client = new DashboardClient(dashboard, PASSWORD);
  });
  afterEach(() => t.close());

  const migrations = async () => (await t.db.selectFrom('funnel_migrations').selectAll().execute()).length;
  const post = (jar: Record<string, string>, fields: Record<string, string>) => dashboard.request('/dashboard/funnels/welcome/migrations', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) }, body: new URLSearchParams(fields).toString(),
  });

  it('shows the versions in flight with counts per step, previews a migration without changing anything, and applies it with the session and CSRF token', async () => {
    const jar = await client.login();
    const page = await client.page('/dashboard/funnels/welcome?lang=en', jar);
    expect(plain(/<tr data-version="v1">(.*?)<\/tr>/s.exec(page)?.[1]?.replace(/<[^>]+>/g, ' ') ?? '')).toBe(' v1 2 pause: 2 ');
    expect(page).toMatch(/<tr data-version="v2"><td><code>v2<\/code> <span class="badge">current<\/span>/);

    const preview = await client.page('/dashboard/funnels/welcome?lang=en&migrateFrom=v1&map=', jar);
    expect(plain(preview)).toContain('Dry run onto v2: 2 of 2 would move, 0 would stay on their version. Nothing has changed yet.');
    expect(plain(preview)).toContain('v1: pause ×2 → pause, re-timed from when it began: 1d → 12h');
    expect(preview).toContain('data-apply-migration');
    expect(await migrations()).toBe(0);

    expect((await post(jar, { from: 'v1', map: '' })).status).toBe(403); // no CSRF token: refused
    expect(await migrations()).toBe(0);
    const res = await post({ ...jar, af_csrf: jar.af_csrf! }, { csrf: hiddenCsrf(preview), from: 'v1', map: '' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/dashboard\/funnels\/welcome\?migration=mg_\w+#versions$/);
    expect(t.gateway.migrations).toHaveLength(1);
    const after = await client.page(location.replace('#versions', '&lang=en'), jar);
    expect(after).toContain(`data-migration="${t.gateway.migrations[0]}"`);
    expect(plain(after)).toContain('started: each enrollment moves at its next safe point');
  });

  it('refuses a bad map with the reason on the page and moves nothing', async () => {
    const jar = await client.login();
    const preview = await client.page('/dashboard/funnels/welcome?lang=en&migrateFrom=v1&map=pause%3Dextra', jar);
    expect(preview).toMatch(/data-migration-error="true">--map pause=extra: pause is a wait step \(in v1\), extra a email step/);
    expect(preview).not.toContain('data-apply-migration');
    const res = await post(jar, { csrf: hiddenCsrf(preview), from: 'v1', map: 'pause=nowhere' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!, 'http://x').searchParams.get('migrationError')).toContain('not a step of the current version v2');
    expect(await migrations()).toBe(0);
    expect(t.gateway.migrations).toEqual([]);
  });

  it('shows the per-touch stats of one version or of all: touch ids continue across versions', async () => {
    const [e] = enrollments;
    await insertDelivery(t.db, e!, 'hello', { status: 'sent', at: T0 + HOUR });
    const m = await t.db.insertInto('funnel_migrations').values({
      id: 'mg_1', funnel_id: 'welcome', from_version: 'v1', to_version: 'v2', step_map: '{}', status: 'done', total: 1, signalled: 1, created_at: T0 + 2 * HOUR, finished_at: T0 + 2 * HOUR,
    }).returning('id').executeTakeFirstOrThrow();
    await recordEnrollmentMigration(t.db, { migrationId: m.id, enrollmentId: e!.id, fromVersion: 'v1', toVersion: 'v2', fromStep: 'pause', toStep: 'pause', outcome: 'moved', at: T0 + 2 * HOUR });
    await insertDelivery(t.db, e!, 'nudge', { status: 'sent', at: T0 + 3 * HOUR });
    const jar = await client.login();
    const sent = async (query: string) => {
      const html = await client.page(`/dashboard/funnels/welcome?lang=en${query}`, jar);
      return { hello: rowCells(html, 'data-touch', 'hello').sent, nudge: rowCells(html, 'data-touch', 'nudge').sent };
    };
    expect(await sent('')).toEqual({ hello: '1', nudge: '1' });
    expect(await sent('&version=v1')).toEqual({ hello: '1', nudge: '0' });
    expect(await sent('&version=v2')).toEqual({ hello: '0', nudge: '1' });
    expect(await client.page('/dashboard/funnels/welcome?lang=en&version=v2', jar)).toContain('data-stats-of="v2"');
  });
});
