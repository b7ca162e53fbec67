import type { VersionedPlan } from '../../src/db/funnels';
import { branch, telegram } from '../../src/dsl/steps';
import { ask, nps } from '../../src/dsl/steps-two-way';
import { when } from '../../src/dsl/conditions';

const D = 86_400_000;
const choice = (id: string, score: number) => ({ id, text: `Вариант ${id}`, score });

/** A bot quiz: three scored questions, a branch on the score, a free-text question, an NPS question and its "why?". */
export const quizPlan = (): VersionedPlan => ({
  version: 'quiz-1',
  plan: {
    id: 'quiz-bot', name: 'Квиз', entry: 'telegram.subscribed', timezone: 'Europe/Moscow',
    attributes: ['goal', 'nps_score'], events: [], goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
    steps: [
      ask('q1', { text: 'Вопрос 1', options: [choice('a', 0), choice('b', 2)], saveAs: 'goal', timeout: '1d' }),
      ask('q2', { text: 'Вопрос 2', options: [choice('a', 0), choice('b', 2)], timeout: '1d' }),
      ask('q3', { text: 'Вопрос 3', options: [choice('a', 0), choice('b', 2)], timeout: '1d' }),
      branch('by-score', {
        if: when.quizScore({ gte: 4 }),
        then: [telegram('hot', { text: 'Горячо: {{ quiz.score }} баллов' })],
        else: [telegram('cold', { text: 'Холодно: {{ quiz.score }} баллов' })],
      }),
      ask('question', {
        text: 'Что вас интересует?', freeText: true, timeout: '1d', if: when.replyMatches(/цен|стоит/i),
        then: [telegram('price', { text: 'Цены: от 990 ₽' })], else: [telegram('other', { text: 'Менеджер ответит' })],
        onTimeout: [telegram('silent', { text: 'Вы не ответили' })],
      }),
      nps('nps', {
        text: 'Порекомендуете нас?', saveAs: 'nps_score', timeout: '2d', if: when.answerScore({ lte: 6 }),
        then: [telegram('sorry', { text: 'Простите нас' })], else: [telegram('thanks', { text: 'Спасибо!' })],
      }),
      ask('nps-why', { text: 'Почему?', freeText: true, commentOf: 'nps', timeout: '1d' }),
    ],
  },
});

