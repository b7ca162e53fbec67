import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { FunnelRegistry } from '../../src/engine/registry';
import { createDashboard } from '../../src/http/dashboard/index';
import { coursePlan, openSeededDb, T0 } from '../browser/seed-dashboard';
import { DashboardClient, rowCells } from '../browser/dashboard-client';

const PASSWORD = 'refusals-test-password';

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => { ({ db, close } = await openSeededDb()); });
afterAll(async () => close?.());

/** The refusal banner of a page: its item texts, or null when there is none. */
const banner = (html: string) => {
  const block = /<div class="refused" role="alert"[^>]*>(.*?)<\/div>/s.exec(html)?.[1];
  return block === undefined ? null : [...block.matchAll(/<li><code>(.*?)<\/code><\/li>/gs)].map((m) => m[1]);
};

describe('dashboard: refused funnel files and drafts', () => {
  const registry = new FunnelRegistry();
  registry.replace([{ plan: { ...coursePlan, draft: true }, version: 'v1' }, { plan: { ...coursePlan, id: 'other', name: 'Другая' }, version: 'o1' }], [
    { file: 'funnels/broken.ts', funnelIds: ['broken'], text: 'funnels/broken.ts: broken/pause: soon is not a duration' },
    { file: 'funnels/copy.ts', funnelIds: ['copy', 'course'], text: 'funnels/copy.ts: copy/webinars: webinar masterclass is also declared by funnels/course.ts' },
  ]);
  let client: DashboardClient;
  beforeAll(() => {
    client = new DashboardClient(createDashboard({ db, funnels: registry, adminPassword: PASSWORD, secretKey: 'refusals-secret-0123456789', now: () => T0 }), PASSWORD);
  });

  it('shows every refusal in a red banner on the overview, and a funnel page only what concerns that funnel', async () => {
    const jar = await client.login();
    expect(banner(await client.page('/dashboard', jar))).toEqual([
      'funnels/broken.ts: broken/pause: soon is not a duration',
      'funnels/copy.ts: copy/webinars: webinar masterclass is also declared by funnels/course.ts',
    ]);
    expect(banner(await client.page('/dashboard/funnels/course', jar))).toEqual(['funnels/copy.ts: copy/webinars: webinar masterclass is also declared by funnels/course.ts']);
    expect(banner(await client.page('/dashboard/funnels/other', jar))).toBeNull();
  });

  it('marks a draft on the overview and on its page', async () => {
    const jar = await client.login();
    const overview = await client.page('/dashboard?lang=en', jar);
    expect(overview.match(/data-draft="true"/g)).toHaveLength(2); // the KPI row and the section heading of the draft only
    const page = await client.page('/dashboard/funnels/course?lang=en', jar);
    expect(page).toContain('<span class="badge draft"');
    expect(page).toContain('Draft: this funnel enrolls only test contacts and explicit API enrollments');
    expect(await client.page('/dashboard/funnels/other?lang=en', jar)).not.toContain('class="badge draft"');
  });

  it('marks a test contact on its page and in the contact search', async () => {
    await db.updateTable('contacts').set({ test: 1 }).where('id', '=', 'ct_2').execute();
    const jar = await client.login();
    const page = await client.page('/dashboard/contacts/ct_2?lang=en', jar);
    expect(page).toContain('<span class="badge test" data-test-contact="yes">test contact</span>');
    expect(page).toContain('<dd data-test="yes">yes</dd>');
    expect(await client.page('/dashboard/contacts/ct_3?lang=en', jar)).toContain('<dd data-test="no">no</dd>');
    const search = await client.page('/dashboard/contacts?q=example.ru&lang=en', jar);
    expect(rowCells(search, 'data-contact', 'ct_2')).toMatchObject({ name: 'Борисtest contact', test: 'yes' });
    expect(rowCells(search, 'data-contact', 'ct_3')).toMatchObject({ test: 'no' });
    await db.updateTable('contacts').set({ test: 0 }).where('id', '=', 'ct_2').execute();
  });

  it('shows no banner when nothing was refused', async () => {
    const clean = new DashboardClient(createDashboard({ db, funnels: new FunnelRegistry([{ plan: coursePlan, version: 'v1' }]), adminPassword: PASSWORD, secretKey: 'refusals-secret-0123456789', now: () => T0 }), PASSWORD);
    expect(banner(await clean.page('/dashboard', await clean.login()))).toBeNull();
  });
});
