import { afterEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/db/contacts';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createTestApp, T0, welcomePlan, type TestApp } from '../http/test-app';
import { createPagesApp, entryPlan, leadPlan, type PagesApp } from '../http/pages/page-app';

/** The welcome funnel (entered by `signed_up`) as a draft. */
const draftWelcome = { ...welcomePlan, draft: true };

describe('draft funnels', () => {
  let t: TestApp | PagesApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  async function draftApp(): Promise<TestApp> {
    const app = await createTestApp();
    await storeFunnelVersions(app.db, [{ plan: draftWelcome, version: 'd1' }], T0);
    app.deps.funnels.replace([{ plan: draftWelcome, version: 'd1' }]);
    return app;
  }
  const contact = async (app: TestApp, body: Record<string, unknown>) => (await (await app.call('POST', '/api/contacts', body)).json()) as { id: string; test: boolean };

  it('stores a test contact (test: true) and shows the flag; a later upsert without it keeps it', async () => {
    const app = t = await draftApp();
    const made = await contact(app, { email: 'tester@example.test', test: true });
    expect(made.test).toBe(true);
    expect((await contact(app, { email: 'tester@example.test', name: 'Тестер' })).test).toBe(true);
    expect(((await (await app.call('GET', `/api/contacts/${made.id}`)).json()) as { test: boolean }).test).toBe(true);
    expect((await contact(app, { email: 'real@example.test' })).test).toBe(false);
    expect((await contact(app, { email: 'tester@example.test', test: false })).test).toBe(false);
  });

  it("enrolls only test contacts from the draft's entry event; a real contact's event is stored but enrolls nobody", async () => {
    const app = t = await draftApp();
    const real = await contact(app, { email: 'buyer@example.test' });
    const tester = await contact(app, { email: 'tester@example.test', test: true });
    expect((await app.call('POST', '/api/events', { contactId: real.id, name: 'signed_up' })).status).toBe(202);
    expect((await app.call('POST', '/api/events', { contactId: tester.id, name: 'signed_up' })).status).toBe(202);
    expect(app.gateway.starts.map((s) => s.contactId)).toEqual([tester.id]);
    expect((await app.db.selectFrom('enrollments').select('contact_id').execute()).map((e) => e.contact_id)).toEqual([tester.id]);
    expect((await app.counts()).events).toBe(2);
  });

  it('lets an explicit API enrollment into a draft through, for any contact', async () => {
    const app = t = await draftApp();
    const real = await contact(app, { email: 'buyer@example.test' });
    const res = await app.call('POST', '/api/funnels/welcome/enrollments', { contactId: real.id });
    expect(res.status).toBe(201);
    expect(app.gateway.starts.map((s) => s.contactId)).toEqual([real.id]);
  });

  it('lists the draft state in GET /api/funnels', async () => {
    const app = t = await draftApp();
    expect(((await (await app.call('GET', '/api/funnels')).json()) as Array<{ id: string; draft: boolean }>).map((f) => [f.id, f.draft])).toEqual([['welcome', true]]);
  });

  it("never enrolls a real visitor through a draft's lead form, entered by the form or not; a test contact gets in", async () => {
    for (const plan of [{ ...leadPlan, draft: true }, { ...entryPlan, draft: true }]) {
      const app = t = await createPagesApp({}, [plan]);
      const post = (email: string) => app.app.request(`/f/${plan.id}`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' },
        body: JSON.stringify({ name: 'Анна', email, consent: { email: true } }),
      });
      const visitor = await post('visitor@example.test');
      expect([201, 303]).toContain(visitor.status);
      await upsertContact(app.db, { email: 'tester@example.test', test: true }, 'api');
      expect([201, 303]).toContain((await post('tester@example.test')).status);
      const enrolled = await app.db.selectFrom('enrollments').innerJoin('contacts', 'contacts.id', 'enrollments.contact_id').select('contacts.email').execute();
      expect(enrolled.map((e) => e.email), plan.id).toEqual(['tester@example.test']);
      await app.close();
      t = undefined;
    }
  });
});
