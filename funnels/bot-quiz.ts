/**
 * Онлайн-школа «Питон-Старт» — бот как входная дверь: квиз из трёх вопросов, предложение по результату, NPS.
 * Entered by `telegram.subscribed` (a bare /start in the bot, or /start with a source such as `/start vk_ads`).
 *
 *   hello          telegram at once: "three questions and we pick a programme for you"
 *   q-experience   ask: have you programmed before? (0/1/2 points; saved as `experience`)
 *   q-goal         ask: why Python? (0/1/2 points; saved as `goal`)
 *   q-time         ask: hours per week? (0/1/2 points; saved as `hours`)
 *     each question waits 1 day; no answer → quiz-abandoned (exit)
 *   by-score       branch on the quiz score: 4–6 → offer-pro, tag hot_lead, "shall a manager call?" (yes → notify the team)
 *                                             0–3 → offer-start, segment = beginner, a free-text question (prices → price)
 *   before-nps     wait 7d, then 12:00 local
 *   nps            NPS 0–10 (saved as `nps`); 0–6 → "what should we improve?" (a comment on the NPS, the team is told), 7–10 → thanks
 *
 * A draft: checked, drawn and simulated, it enrolls only test contacts until you remove `draft: true`.
 */
import { branch, defineFunnel, exit, notify, nps, setAttribute, tag, telegram, wait, waitUntil, ask, when } from '../src/dsl';

const NAME = "{{ contact.firstName | default: 'друг' }}";
const SITE = 'https://python-start.example';

export default defineFunnel({
  id: 'bot-quiz',
  draft: true,
  name: 'Бот: квиз, предложение по результату и NPS',
  entry: 'telegram.subscribed',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '30d' },
  policy: { sendWindow: { from: '09:00', to: '22:00' } },
  attributes: ['source', 'experience', 'goal', 'hours', 'hot_lead', 'segment', 'nps'],
  steps: [
    telegram('hello', { text: `Привет, ${NAME}! Ответьте на три коротких вопроса — и мы подберём вам программу обучения.` }),
    ask('q-experience', {
      text: 'Вопрос 1 из 3. Вы уже программировали?',
      options: [{ id: 'never', text: 'Никогда', score: 0 }, { id: 'little', text: 'Немного пробовал(а)', score: 1 }, { id: 'yes', text: 'Да, регулярно', score: 2 }],
      saveAs: 'experience', timeout: '1d', onTimeout: [exit('quiz-abandoned', 'не ответил на квиз')],
    }),
    ask('q-goal', {
      text: 'Вопрос 2 из 3. Зачем вам Python?',
      options: [{ id: 'career', text: 'Сменить профессию', score: 2 }, { id: 'work', text: 'Автоматизировать работу', score: 1 }, { id: 'fun', text: 'Для себя', score: 0 }],
      saveAs: 'goal', timeout: '1d', onTimeout: [exit('quiz-abandoned-2', 'не ответил на квиз')],
    }),
    ask('q-time', {
      text: 'Вопрос 3 из 3. Сколько часов в неделю вы готовы учиться?',
      options: [{ id: 'h2', text: 'До 2 часов', score: 0 }, { id: 'h5', text: '3–5 часов', score: 1 }, { id: 'h10', text: 'Больше 5 часов', score: 2 }],
      saveAs: 'hours', timeout: '1d', onTimeout: [exit('quiz-abandoned-3', 'не ответил на квиз')],
    }),
    branch('by-score', {
      if: when.quizScore({ gte: 4 }),
      then: [
        telegram('offer-pro', {
          text: `${NAME}, у вас {{ quiz.score }} из 6 баллов — вам подойдёт программа «Python-разработчик» с наставником и трудоустройством.`,
          buttons: [{ id: 'program', text: 'Смотреть программу', url: `${SITE}/pro` }],
        }),
        tag('mark-hot', 'hot_lead'),
        ask('call-me', {
          text: 'Хотите, менеджер позвонит и ответит на вопросы о программе?',
          options: [
            { id: 'yes', text: 'Да, позвоните мне', steps: [
              notify('team-call', { subject: 'Позвонить лиду', text: '{{ contact.name }} ({{ contact.phone }}) нажал(а) «Позвоните мне» после квиза' }),
              telegram('call-ok', { text: 'Отлично! Менеджер свяжется с вами в течение рабочего дня.' }),
            ] },
            { id: 'no', text: 'Пока нет' },
          ],
          timeout: '2d',
        }),
      ],
      else: [
        telegram('offer-start', {
          text: `${NAME}, у вас {{ quiz.score }} из 6 баллов — начните с курса «Python с нуля»: первый урок бесплатно.`,
          buttons: [{ id: 'lesson', text: 'Первый урок', url: `${SITE}/start` }],
        }),
        setAttribute('mark-segment', 'segment', 'beginner'),
        ask('question', {
          text: 'Если остались вопросы — просто напишите их сюда.',
          freeText: true, timeout: '2d', if: when.replyMatches(/цен|стоит|стоимост|скидк|рассроч/i),
          then: [telegram('price', { text: 'Курс стоит 2 990 ₽ в месяц, есть рассрочка без переплаты.' })],
          else: [telegram('question-thanks', { text: 'Спасибо! Передали ваш вопрос куратору, он ответит здесь же.' })],
        }),
      ],
    }),
    wait('before-nps', '7d'),
    waitUntil('nps-noon', { time: '12:00' }),
    nps('nps', {
      text: 'Насколько вероятно, что вы порекомендуете «Питон-Старт» другу? 0 — точно нет, 10 — обязательно.',
      saveAs: 'nps', timeout: '3d', if: when.answerScore({ lte: 6 }),
      then: [
        ask('nps-why', {
          text: 'Нам жаль. Что нам стоит улучшить? Напишите пару слов.', freeText: true, commentOf: 'nps', timeout: '3d',
          then: [notify('team-detractor', { subject: 'Низкая оценка NPS', text: '{{ contact.name }} поставил(а) низкую оценку. Посмотрите комментарий в карточке.' })],
        }),
      ],
      else: [telegram('nps-thanks', { text: 'Спасибо за оценку!{% if links.referral %} Приводите друзей — оба получите скидку 20%: {{ links.referral }}{% endif %}' })],
    }),
  ],
});
