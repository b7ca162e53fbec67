import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import type { Harness } from '../helpers/harness';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { nextLocalTime } from '../../src/time/local-time';
import { TEST_SECRET_KEY, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { endAtRest } from '../helpers/at-rest';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../helpers/fake-telegram';
import { asUpdate } from '../channels/telegram/fixtures';
import { createTelegramChannel, type TelegramBotChannel } from '../../src/channels/telegram/channel';
import { handleTelegramUpdate } from '../../src/channels/telegram/updates';
import { validateFunnel } from '../../src/dsl/check';
import { quizPlan } from '../helpers/quiz-plan';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { trackingRoutes } from '../../src/http/tracking/index';
import { TEST_PUBLIC_URL } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ask } from '../../src/dsl/steps-two-way';
import { email } from '../../src/dsl/steps';
import { when } from '../../src/dsl/conditions';

const H = 3_600_000;
const D = 24 * H;
describe('ask: questions, quizzes, free text and NPS in Telegram (virtual time, loopback Bot API)', () => {
  let env: TestWorkflowEnvironment;
  let tg: FakeTelegram;
  let channel: TelegramBotChannel;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    tg = await startFakeTelegram();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, perChatIntervalMs: 0 });
  });
  afterAll(async () => {
    await tg?.close();
    await env?.teardown();
  });

  const textsTo = (chatId: number) => tg.sent.filter((m) => m.chatId === String(chatId)).map((m) => m.text);
  /** The callback data of the button `id` under the latest message to the chat that has buttons. */
  const buttonOf = (chatId: number, id: string): string => {
    const withKeyboard = tg.callsOf('sendMessage').filter((c) => String(c.body.chat_id) === String(chatId) && c.body.reply_markup !== undefined);
    const markup = withKeyboard.at(-1)!.body.reply_markup;
    const parsed = (typeof markup === 'string' ? JSON.parse(markup) : markup) as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
    const data = parsed.inline_keyboard.flat().map((b) => b.callback_data).find((d) => d?.endsWith(`:${id}`));
    if (!data) throw new Error(`no button ${id} in ${JSON.stringify(parsed)}`);
    return data;
  };
  const run = (fn: (h: Harness, update: (u: Parameters<typeof asUpdate>[0]) => Promise<void>) => Promise<void>, plans: VersionedPlan[] = [quizPlan()]) =>
    withHarness(env, plans, recordingEmail().channel, async (h) => {
      try {
        await fn(h, (u) => handleTelegramUpdate({ ...h.deps, secretKey: TEST_SECRET_KEY, channel }, asUpdate(u)));
      } finally {
        const running = await h.db.selectFrom('enrollments').select('workflow_id').where('status', '=', 'active').execute();
        for (const r of running) await endAtRest(env, (id) => h.deps.gateway.end(id, 'test over'), r.workflow_id);
      }
    }, { telegram: channel });

  it('the example plan passes npm run check', () => {
    expect(validateFunnel(quizPlan().plan).problems).toEqual([]);
  });

  it('a three-question quiz branches on its score; a free-text reply matches a pattern; an NPS answer and its comment are stored', async () => {
    await run(async (h, update) => {
      const chat = 9201;
      const press = async (after: string, id: string) => {
        await eventually(() => textsTo(chat).includes(after), `the question «${after}»`);
        await update(tgUpdates.callback(chat, buttonOf(chat, id)));
      };
      await update(tgUpdates.text(chat, '/start'));
      await press('Вопрос 1', 'b');
      await press('Вопрос 2', 'b');
      await press('Вопрос 3', 'a');
      await eventually(() => textsTo(chat).includes('Горячо: 4 баллов'), 'the hot branch with the score');
      await eventually(() => textsTo(chat).includes('Что вас интересует?'), 'the free-text question');
      await update(tgUpdates.text(chat, 'Сколько СТОИТ курс?'));
      await eventually(() => textsTo(chat).includes('Цены: от 990 ₽'), 'the reply matched /цен|стоит/i');
      await press('Порекомендуете нас?', '3');
      await eventually(() => textsTo(chat).includes('Простите нас'), 'the low-score branch');
      await eventually(() => textsTo(chat).includes('Почему?'), 'the comment question');
      await update(tgUpdates.text(chat, 'Долго отвечали'));
      await eventually(async () => (await h.db.selectFrom('enrollments').select('status').executeTakeFirst())?.status !== 'active', 'the enrollment ends');

      expect(textsTo(chat)).not.toContain('Холодно: 4 баллов');
      expect(textsTo(chat)).not.toContain('Менеджер ответит');
      const contact = await h.db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', String(chat)).executeTakeFirstOrThrow();
      expect(JSON.parse(contact.attributes)).toMatchObject({ goal: 'b', nps_score: 3 });
      const answers = await h.db.selectFrom('answers').select(['ask_id', 'kind', 'value', 'score', 'quiz', 'comment_of']).orderBy('answered_at').orderBy('ask_id').execute();
      expect(answers.map((a) => ({ ...a, score: a.score === null ? null : Number(a.score) }))).toEqual([
        { ask_id: 'q1', kind: 'option', value: 'b', score: 2, quiz: 1, comment_of: null },
        { ask_id: 'q2', kind: 'option', value: 'b', score: 2, quiz: 1, comment_of: null },
        { ask_id: 'q3', kind: 'option', value: 'a', score: 0, quiz: 1, comment_of: null },
        { ask_id: 'question', kind: 'text', value: 'Сколько СТОИТ курс?', score: null, quiz: 0, comment_of: null },
        { ask_id: 'nps', kind: 'scale', value: '3', score: 3, quiz: 0, comment_of: null },
        { ask_id: 'nps-why', kind: 'text', value: 'Долго отвечали', score: null, quiz: 0, comment_of: 'nps' },
      ]);
      const answered = await h.db.selectFrom('events').select(['name', 'properties']).where('name', '=', 'q1.answered').executeTakeFirstOrThrow();
      expect(JSON.parse(answered.properties)).toMatchObject({ value: 'b', score: 2 });
      const wf = `funnel:quiz-bot:${contact.id}`;
      await env.client.workflow.getHandle(wf).result();
      await recordHistory(env, wf);
    });
  });

  it('a low quiz score takes the other arm, an unmatched reply the else arm, and an unanswered question its timeout', async () => {
    await run(async (h, update) => {
      const chat = 9202;
      const press = async (after: string, id: string) => {
        await eventually(() => textsTo(chat).includes(after), `the question «${after}»`);
        await update(tgUpdates.callback(chat, buttonOf(chat, id)));
      };
      await update(tgUpdates.text(chat, '/start'));
      await press('Вопрос 1', 'a');
      await press('Вопрос 2', 'b');
      await press('Вопрос 3', 'a');
      await eventually(() => textsTo(chat).includes('Холодно: 2 баллов'), 'the cold branch with the score');
      await eventually(() => textsTo(chat).includes('Что вас интересует?'), 'the free-text question');
      await update(tgUpdates.text(chat, 'Привет'));
      await eventually(() => textsTo(chat).includes('Менеджер ответит'), 'the unmatched reply');
      await eventually(() => textsTo(chat).includes('Порекомендуете нас?'), 'the NPS question');
      await eventually(async () => (await h.deps.gateway.currentStep(`funnel:quiz-bot:${(await h.db.selectFrom('contacts').select('id').where('telegram_chat_id', '=', String(chat)).executeTakeFirstOrThrow()).id}`))?.state === 'waiting', 'waiting for the NPS answer');
      await h.advance(2 * D + H);
      await eventually(() => textsTo(chat).includes('Почему?'), 'the next question after the NPS timeout');
      await h.advance(D + H);
      await eventually(async () => (await h.db.selectFrom('enrollments').select('status').executeTakeFirst())?.status !== 'active', 'the enrollment ends on the timeouts');
      expect(textsTo(chat)).not.toContain('Спасибо!');
      expect(textsTo(chat)).not.toContain('Простите нас');
      expect(await h.db.selectFrom('answers').select('ask_id').where('ask_id', 'in', ['nps', 'nps-why']).execute()).toEqual([]);
    });
  });

  it('the shipped funnels/bot-quiz.ts: a test contact\'s /start runs the quiz, the high-score offer, the call request and the NPS', async () => {
    const example = await loadExampleFunnel('bot-quiz');
    await run(async (h, update) => {
      const chat = 9203;
      const press = async (after: string, id: string) => {
        await eventually(() => textsTo(chat).some((t) => t.startsWith(after)), `the message «${after}»`);
        await update(tgUpdates.callback(chat, buttonOf(chat, id)));
      };
      const tester = (await upsertContact(h.db, { externalId: 'tester', telegramChatId: String(chat), test: true }, 'api')).contact;
      // The shipped funnel sends from 09:00 to 22:00 Moscow time: start at 10:00 there, whatever the clock (the
      // earlier tests of the file moved it on by days and hours) — at 22:10 the first question waited for the morning.
      await h.advance(nextLocalTime(h.deps.now(), 'Europe/Moscow', '10:00') - h.deps.now());
      await update(tgUpdates.text(chat, '/start vk_ads'));
      await press('Вопрос 1 из 3', 'yes');
      await press('Вопрос 2 из 3', 'career');
      await press('Вопрос 3 из 3', 'h5');
      await eventually(() => textsTo(chat).some((t) => t.includes('у вас 5 из 6 баллов — вам подойдёт программа «Python-разработчик»')), 'the offer for a high score');
      await press('Хотите, менеджер позвонит', 'yes');
      await eventually(() => textsTo(chat).includes('Отлично! Менеджер свяжется с вами в течение рабочего дня.'), 'the call confirmation');
      const attrs = JSON.parse((await h.db.selectFrom('contacts').select('attributes').where('id', '=', tester.id).executeTakeFirstOrThrow()).attributes);
      expect(attrs).toMatchObject({ source: 'vk_ads', experience: 'yes', goal: 'career', hours: 'h5', hot_lead: true });
      await eventually(async () => (await h.deps.gateway.currentStep(`funnel:bot-quiz:${tester.id}`))?.stepId === 'before-nps', 'the week before the NPS question');
      await h.advance(8 * D);
      await press('Насколько вероятно', '9');
      await eventually(() => textsTo(chat).some((t) => t.startsWith('Спасибо за оценку!')), 'the thanks of a promoter');
      expect(textsTo(chat).some((t) => t.startsWith('Нам жаль'))).toBe(false);
    }, [example]);
  });

  it('by email: one tracked link per answer; clicking one answers the ask, saves it and takes its arm', async () => {
    const plan: VersionedPlan = {
      version: 'mail-ask-1',
      plan: {
        id: 'mail-ask', name: 'Опрос', entry: null, timezone: 'Europe/Moscow', attributes: ['rating'], events: [],
        goal: { event: 'order.paid', withinMs: 30 * 86_400_000, exit: true },
        steps: [
          ask('rate', {
            via: 'email', subject: 'Оцените урок', text: 'Как вам урок?', answerUrl: 'https://school.example/thanks', scale: { from: 1, to: 5 },
            saveAs: 'rating', timeout: '2d', if: when.answerScore({ gte: 4 }),
            then: [email('glad', { subject: 'Рады!', text: 'Спасибо' })], else: [email('sorry', { subject: 'Исправимся', text: 'Простите' })],
          }),
        ],
      },
    };
    expect(validateFunnel(plan.plan).problems).toEqual([]);
    const mail = recordingEmail();
    await withHarness(env, [plan], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'oleg@example.test', consent: { email: true } }, 'api');
      await enroll(h.deps, 'mail-ask', contact.id);
      const question = await eventually(() => mail.sent.find((m) => m.subject === 'Оцените урок'), 'the question by email');
      const links = [...(question.html ?? '').matchAll(/href="([^"]+)"[^>]*>(\d)</g)].map((m) => ({ href: m[1]!, label: m[2]! }));
      expect(links.map((l) => l.label)).toEqual(['1', '2', '3', '4', '5']);
      expect(links.every((l) => l.href.startsWith(`${TEST_PUBLIC_URL}/t/c/`))).toBe(true);
      const app = trackingRoutes({ ...h.deps, secretKey: TEST_SECRET_KEY, publicUrl: TEST_PUBLIC_URL });
      const res = await app.request(links[1]!.href.replace(TEST_PUBLIC_URL, ''));
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/^https:\/\/school\.example\/thanks\?af_answer=2/);
      await eventually(() => mail.sent.find((m) => m.subject === 'Исправимся'), 'the low-rating arm');
      expect(mail.sent.some((m) => m.subject === 'Рады!')).toBe(false);
      const row = await h.db.selectFrom('contacts').select('attributes').where('id', '=', contact.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.attributes)).toMatchObject({ rating: 2 });
      const wf = `funnel:mail-ask:${contact.id}`;
      await env.client.workflow.getHandle(wf).result();
      await recordHistory(env, wf);
    });
  });
});
