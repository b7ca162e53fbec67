import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedApp, type ServedTestApp } from '../helpers/served-app';
import { quizPlan } from '../helpers/quiz-plan';
import { createFunnelActionActivities } from '../../src/activities/funnel-actions';
import { createEmailOutbox } from '../../src/channels/outbox';
import { upsertContact } from '../../src/db/contacts';
import { createDashboard } from '../../src/http/dashboard/index';
import { DashboardClient } from '../browser/dashboard-client';

const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('NPS and answers reach the API and the dashboard funnel page', () => {
  let app: ServedTestApp;
  beforeAll(async () => {
    app = await startServedApp({ plans: [quizPlan().plan], now: () => T0 + 3_600_000 });
    const acts = createFunnelActionActivities({ db: app.db, email: createEmailOutbox(app.db), mailFrom: 'x@example.test', publicUrl: 'https://funnels.example.test', secretKey: 'k'.repeat(32) });
    // Ten NPS answers through the activity the workflow records them with: 4 promoters, 2 passives, 4 detractors.
    const scores = [10, 9, 9, 10, 8, 7, 3, 0, 6, 5];
    for (const [i, score] of scores.entries()) {
      const { contact } = await upsertContact(app.db, { externalId: `c${i}` }, 'api');
      const ref = { enrollmentId: `en_${i}`, funnelId: 'quiz-bot', contactId: contact.id, version: 'quiz-bot-v1', at: T0 + i };
      await acts.recordAnswer({ ...ref, stepId: 'nps', kind: 'scale', value: score, score, saveAs: 'nps_score', quiz: false });
      if (score <= 6) await acts.recordAnswer({ ...ref, stepId: 'nps-why', kind: 'text', value: `Медленно ${i}`, score: null, quiz: false, commentOf: 'nps' });
      await acts.recordAnswer({ ...ref, stepId: 'q1', kind: 'option', value: i % 2 === 0 ? 'a' : 'b', score: i % 2 === 0 ? 0 : 2, quiz: true });
    }
  });
  afterAll(async () => app?.stop());

  it('GET /api/funnels/:id/answers answers NPS per funnel and per asking touch, the distribution and the comments', async () => {
    const res = await app.api('GET', '/api/funnels/quiz-bot/answers');
    expect(res.status).toBe(200);
    expect(res.json.nps).toEqual({ responses: 10, promoters: 4, passives: 2, detractors: 4, nps: 0 });
    const nps = res.json.asks.find((a: { askId: string }) => a.askId === 'nps');
    expect(nps).toMatchObject({
      kind: 'scale', scale: { from: 0, to: 10 }, responses: 10, averageScore: 6.7,
      distribution: { 0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 2, 10: 2 },
      nps: { responses: 10, promoters: 4, passives: 2, detractors: 4, nps: 0 },
    });
    expect(nps.comments.map((c: { score: number; text: string }) => [c.score, c.text])).toEqual([[3, 'Медленно 6'], [0, 'Медленно 7'], [6, 'Медленно 8'], [5, 'Медленно 9']]);
    const q1 = res.json.asks.find((a: { askId: string }) => a.askId === 'q1');
    expect(q1).toMatchObject({ kind: 'options', responses: 10, distribution: { a: 5, b: 5 }, averageScore: 1, nps: null });
    const answered = await app.db.selectFrom('events').select('name').where('name', '=', 'nps.answered').execute();
    expect(answered).toHaveLength(10);
  });

  it('refuses an unknown funnel and a bad period', async () => {
    expect((await app.api('GET', '/api/funnels/nope/answers')).status).toBe(404);
    expect((await app.api('GET', '/api/funnels/quiz-bot/answers?from=2026-12-02&to=2026-12-01')).status).toBe(422);
  });

  it('the funnel page shows the NPS, the distribution and the comments', async () => {
    const dashboard = createDashboard({ db: app.db, funnels: app.deps.funnels, adminPassword: 'answers-password', secretKey: 'answers-secret-0123456789', outboxMode: true, now: () => T0 + 3_600_000 });
    const client = new DashboardClient(dashboard, 'answers-password');
    const jar = await client.login();
    const html = await (await client.get('/dashboard/funnels/quiz-bot?lang=ru', jar)).text();
    expect(html).toContain('Вопросы и NPS');
    expect(html).toMatch(/data-funnel-nps="0"/);
    expect(html).toContain('data-ask="nps"');
    expect(html).toContain('Медленно 7');
    expect(html).toMatch(/data-distribution="nps">0: 1 · 1: 0 · 2: 0 · 3: 1/);
  });
});
