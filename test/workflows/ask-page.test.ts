import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_PUBLIC_URL, TEST_SECRET_KEY, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { serveApp } from '../helpers/serve-app';
import { recordHistory } from '../helpers/histories';
import { validateFunnel } from '../../src/dsl/check';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { createServerApp } from '../../src/runtime/server-app';
import { answerPageUrl } from '../../src/pages/answer-url';
import { ask } from '../../src/dsl/steps-two-way';
import { email } from '../../src/dsl/steps';
import { when } from '../../src/dsl/conditions';

const plan: VersionedPlan = {
  version: 'page-ask-1',
  plan: {
    id: 'page-ask', name: 'Опрос на сайте', entry: null, timezone: 'Europe/Moscow', attributes: ['rating', 'wish'], events: [],
    goal: { event: 'order.paid', withinMs: 30 * 86_400_000, exit: true },
    steps: [
      ask('rate', {
        via: 'email', subject: 'Оцените урок', text: 'Как вам урок? <a href="{{ links.asks.rate }}">Ответить на сайте</a>',
        answerUrl: 'https://school.example/thanks', scale: { from: 1, to: 5 }, saveAs: 'rating', timeout: '2d',
        if: when.answerScore({ gte: 4 }), then: [email('glad', { subject: 'Рады!', text: 'Спасибо' })], else: [email('sorry', { subject: 'Исправимся', text: 'Простите' })],
      }),
      ask('wish', {
        via: 'email', subject: 'Чего не хватило?', text: 'Напишите, чего не хватило.',
        freeText: true, saveAs: 'wish', timeout: '2d', then: [email('noted', { subject: 'Учтём', text: 'Спасибо за ответ' })],
      }),
    ],
  },
};

describe('ask() on a page: the answer page of an ask, over the real server on loopback (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('npm run check accepts {{ links.asks.<id> }} and names an unknown ask', () => {
    expect(validateFunnel(plan.plan).problems).toEqual([]);
    const wrong = { ...plan.plan, steps: [email('x', { subject: 'x', text: 'Ответьте: {{ links.asks.rat }}' }), ...plan.plan.steps] };
    expect(validateFunnel(wrong).problems.map((p) => `${p.message} — ${p.fix}`)).toEqual([
      "text uses {{ links.asks.rat }}, but 'rat' is not an ask of this funnel (the link would be empty) — did you mean {{ links.asks.rate }}?",
    ]);
  });

  it('a scale answer and a free-text answer posted from the page land in the answers table and move the waiting asks on', async () => {
    const mail = recordingEmail();
    await withHarness(env, [plan], mail.channel, async (h) => {
      const app = createServerApp(h.deps, {
        apiToken: 'page-ask-token-0123456789', secretKey: TEST_SECRET_KEY, adminPassword: 'page-ask-admin', publicUrl: TEST_PUBLIC_URL,
        trustProxy: false, outboxChannels: [],
      });
      const served = await serveApp(app);
      const local = (url: string) => url.replace(TEST_PUBLIC_URL, served.url);
      const post = (url: string, form: Record<string, string>, accept = 'text/html') => fetch(local(url), {
        method: 'POST', body: new URLSearchParams(form), headers: { accept }, redirect: 'manual',
      });
      try {
        const { contact } = await upsertContact(h.db, { email: 'irina@example.test', consent: { email: true } }, 'api');
        await enroll(h.deps, 'page-ask', contact.id);
        const question = await eventually(() => mail.sent.find((m) => m.subject === 'Оцените урок'), 'the question by email');
        // The email carries the contact's own answer page (like a page link, not through the click tracker).
        const rateUrl = answerPageUrl(TEST_PUBLIC_URL, TEST_SECRET_KEY, 'page-ask', 'rate', contact.id);
        const hrefs = [...(question.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
        expect(hrefs).toContain(rateUrl);
        await eventually(async () => (await h.db.selectFrom('enrollments').select('current_step').executeTakeFirst())?.current_step === 'rate', 'waiting for the rating');

        const form = await fetch(local(rateUrl));
        expect(form.status).toBe(200);
        const html = await form.text();
        expect(html).toContain('Как вам урок?');
        expect([...html.matchAll(/type="radio" name="answer" value="(\d)"/g)].map((m) => m[1])).toEqual(['1', '2', '3', '4', '5']);

        // A forged link, and an answer the ask does not offer, store nothing.
        expect((await fetch(local(rateUrl.replace(/t=[^&]+/, 't=forged.token')))).status).toBe(404);
        const wrongAnswer = await post(rateUrl, { answer: '9' }, 'application/json');
        expect(wrongAnswer.status).toBe(422);
        expect(((await wrongAnswer.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
        expect(await h.db.selectFrom('answers').select('ask_id').execute()).toEqual([]);

        const answered = await post(rateUrl, { answer: '5' });
        expect(answered.status).toBe(200);
        expect(await answered.text()).toContain('Спасибо за ответ!');
        await eventually(() => mail.sent.find((m) => m.subject === 'Рады!'), 'the high-score arm');
        expect(mail.sent.some((m) => m.subject === 'Исправимся')).toBe(false);

        // A free-text email ask links its answer page by itself.
        const wishMail = await eventually(() => mail.sent.find((m) => m.subject === 'Чего не хватило?'), 'the free-text question');
        const wishUrl = answerPageUrl(TEST_PUBLIC_URL, TEST_SECRET_KEY, 'page-ask', 'wish', contact.id);
        expect(wishMail.text).toContain(`Написать ответ: ${wishUrl}`);
        await eventually(async () => (await h.db.selectFrom('enrollments').select('current_step').executeTakeFirst())?.current_step === 'wish', 'waiting for the wish');
        // The rating question does not wait any more: its page says so and takes nothing.
        expect((await fetch(local(rateUrl))).status).toBe(410);
        expect((await post(rateUrl, { answer: '1' })).status).toBe(410);
        expect(await (await fetch(local(wishUrl))).text()).toContain('<textarea');
        expect((await post(wishUrl, { text: '  ' })).status).toBe(422);
        const wish = await post(wishUrl, { text: 'Больше практики' }, 'application/json');
        expect(wish.status).toBe(200);
        expect(await wish.json()).toEqual({ accepted: true, answer: 'Больше практики' });
        await eventually(() => mail.sent.find((m) => m.subject === 'Учтём'), 'the free-text arm');

        const answers = await h.db.selectFrom('answers').select(['ask_id', 'kind', 'value', 'score']).orderBy('answered_at').orderBy('ask_id').execute();
        expect(answers.map((a) => ({ ...a, score: a.score === null ? null : Number(a.score) }))).toEqual([
          { ask_id: 'rate', kind: 'scale', value: '5', score: 5 },
          { ask_id: 'wish', kind: 'text', value: 'Больше практики', score: null },
        ]);
        const row = await h.db.selectFrom('contacts').select('attributes').where('id', '=', contact.id).executeTakeFirstOrThrow();
        expect(JSON.parse(row.attributes)).toMatchObject({ rating: 5, wish: 'Больше практики' });
        const wf = `funnel:page-ask:${contact.id}`;
        expect(await env.client.workflow.getHandle(wf).result()).toEqual({ status: 'exited', reason: 'completed' });
        await recordHistory(env, wf);
      } finally {
        await served.close();
      }
    });
  });
});
