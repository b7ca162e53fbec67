/**
 * Онлайн-школа «Дата Старт» — автовебинарная воронка курса «Аналитик данных с нуля».
 *
 * Lead form (/f/webinar-autofunnel) → thank-you page → Telegram bot → email warm-up → the contact's own session of
 * the auto-webinar (every day at 19:00 in the contact's zone, at least 4 hours ahead) with reminders that follow it →
 * attended / no-show branches → offer and deadline → SMS last call. Purchase (`order.paid`) ends the funnel at once;
 * the post-purchase thank-you, review request and referral live in funnels/after-purchase.ts (entered by order.paid).
 *
 * Plan (other tests assert this schedule — change it only together with them):
 *
 *   invite         webinarInvite (email + .ics)      at once: "you are registered for <your session>"
 *   bot            waitFor telegram.subscribed 2h
 *     then: tg-welcome     telegram (buttons)         welcome in the bot
 *     else: sms-bot        sms → email                "connect the bot" nudge
 *   warmup-wait    waitUntil session − 20h            (late: 'send' — at once when the session is closer)
 *   warmup         email                              "3 мифа о профессии аналитика"
 *   day-before     waitUntil session − 3h
 *   remind-3h      email
 *   hour-before    waitUntil session − 1h
 *   remind-1h      telegram → sms
 *   quarter        waitUntil session − 15m
 *   remind-15m     sms → telegram
 *   on-air         waitUntil session + 5m
 *   live           telegram → email                   "we are live"
 *   after          waitUntil session + 2h             (the webinar has ended)
 *   attendance     waitFor webinar.attended | webinar.missed, 3h
 *   watched        branch: attended ≥ 30 minutes?
 *     then: offer-email email, offer-tg telegram → sms
 *     else: replay email, replay-tg telegram → sms, replay-morning (waitUntil 10:00), replay-reminder email,
 *           replay-watched waitFor replay.clicked 1d → then replay-offer email, else replay-last email
 *   offer-pause    wait 1d
 *   cases          email                              graduates' stories
 *   faq-pause      wait 1d
 *   faq            telegram → email                   answers to objections
 *   noon           waitUntil 12:00
 *   last-call      sms → telegram                     "the discount ends at midnight"
 *   evening        waitUntil 19:00
 *   deadline       email                              "5 hours left"
 *   after-deadline wait 2d
 *   installments   email                              instalment plan (no discount)
 *   feedback       telegram → email                   "what stopped you?"
 *   done           exit
 *
 * Touches: invite, tg-welcome | sms-bot, warmup, remind-3h, remind-1h, remind-15m, live, offer-email, offer-tg,
 * replay, replay-tg, replay-reminder, replay-offer | replay-last, cases, faq, last-call, deadline, installments,
 * feedback (21 touch steps; each contact gets one arm of every branch) plus the pages thank-you and offer: 23 touches.
 * Send window 09:00–21:00 in the contact's zone: a touch due at night waits for 09:00, never dropped.
 * A reminder whose moment passed before the contact reached it (a late sign-up) is skipped as too_late; the warm-up
 * says late: 'send', so it goes at once instead — unless a later reminder has passed too.
 * A draft: it enrolls only test contacts (POST /api/contacts with test: true) and explicit API enrollments.
 */
import { asEmail, asSms, asTelegram, branch, defineFunnel, email, exit, sms, telegram, wait, waitFor, waitUntil, webinarInvite, when } from '../src/dsl';

const SITE = 'https://datastart.example';
const NAME = "{{ contact.firstName | default: 'коллега' }}";
const SESSION = '{{ webinar.date }} в {{ webinar.time }}';
const S = '{{ webinars.masterclass.date }} в {{ webinars.masterclass.time }}';
const JOIN = '{{ webinars.masterclass.joinUrl }}';

/** The letter layout: body, signature, the reason for the letter and the unsubscribe link (38-FZ, RFC 8058). */
const letter = (body: string) => `<div style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; max-width: 600px">
${body}
<p>Мария Волкова,<br>руководитель программы «Аналитик данных с нуля»</p>
<p style="color: #888; font-size: 12px">Вы получили это письмо, потому что зарегистрировались на мастер-класс на datastart.example.
<a href="{{ links.unsubscribe }}">Отписаться</a></p>
</div>`;

const button = (href: string, label: string) =>
  `<p><a href="${href}" style="display: inline-block; padding: 12px 24px; background: #6b46c1; color: #fff; border-radius: 6px; text-decoration: none">${label}</a></p>`;

const OFFER = '{{ links.pages.offer }}';

export default defineFunnel({
  id: 'webinar-autofunnel',
  // An example: checked, drawn and simulated, but it enrolls only test contacts until you remove this line.
  draft: true,
  name: 'Автовебинар «Аналитик данных с нуля»',
  entry: 'lead.webinar',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '21d', exit: true, value: 39_900 },
  attributes: ['source'],
  events: ['replay.clicked'],
  policy: { sendWindow: { from: '09:00', to: '21:00' }, priority: 10 },
  attribution: { window: '21d', halfLife: '3d' },
  utm: { source: 'autofunnel', medium: 'email', campaign: 'masterclass' },

  webinars: [{
    id: 'masterclass',
    title: 'Мастер-класс «Как стать аналитиком данных за 6 месяцев»',
    schedule: { times: ['19:00'] },
    minLead: '4h',
    duration: '2h',
    joinUrl: 'https://live.datastart.example/room/masterclass',
    replayUrl: 'https://live.datastart.example/replay/masterclass',
  }],

  pages: [
    {
      id: 'thank-you',
      title: 'Вы зарегистрированы!',
      html: `<h1>${NAME}, вы зарегистрированы на мастер-класс</h1>
<p>Мы подобрали для вас ближайший эфир и отправили приглашение на почту — с файлом для календаря.</p>
<h2>Что сделать сейчас</h2>
<ol>
  <li>Подключите Telegram-бота: в нём напоминания за час и ссылка на эфир, он не попадёт в спам.</li>
  <li>Добавьте эфир в календарь из письма.</li>
  <li>Подготовьте блокнот: будет домашнее задание и подарок для тех, кто досмотрит до конца.</li>
</ol>
{% if links.telegram %}<p><a class="button" href="{{ links.telegram }}">Подключить Telegram-бота</a></p>{% endif %}
<p><a class="button secondary" href="${SITE}/program">Программа курса</a></p>`,
    },
    {
      id: 'offer',
      title: 'Курс «Аналитик данных с нуля» — специальное предложение',
      html: `<h1>${NAME}, ваше место на курсе</h1>
<p>6 месяцев, 12 проектов в портфолио, наставник и помощь с трудоустройством.</p>
<p><s>59 900 ₽</s> <strong>39 900 ₽</strong> для участников мастер-класса — 72 часа после эфира.</p>
<p><a class="button" href="${SITE}/pay?plan=full">Оплатить курс</a></p>
<p><a class="button secondary" href="${SITE}/pay?plan=installments">Рассрочка на 12 месяцев</a></p>`,
    },
  ],

  form: {
    title: 'Бесплатный мастер-класс «Как стать аналитиком данных за 6 месяцев»',
    fields: [
      { name: 'name', label: 'Имя', required: true },
      { name: 'email', label: 'Email', required: true },
      { name: 'phone', label: 'Телефон (для SMS-напоминания)' },
      { name: 'timezone', label: 'Часовой пояс' },
    ],
    consents: [
      { channel: 'email', label: 'Согласен получать письма о мастер-классе и курсах «Дата Старт»', required: true },
      { channel: 'sms', label: 'Согласен получать SMS-напоминания об эфире' },
    ],
    thankYouPage: 'thank-you',
  },

  steps: [
    webinarInvite('invite', {
      webinar: 'masterclass',
      via: 'email',
      subject: `${NAME}, вы зарегистрированы: мастер-класс ${SESSION}`,
      html: letter(`<p>${NAME}, здравствуйте!</p>
<p>Вы зарегистрированы на бесплатный мастер-класс <b>«{{ webinar.title }}»</b>.</p>
<p>Ваш эфир: <b>${SESSION}</b> ({{ webinar.timezone }}). Файл для календаря — во вложении.</p>
${button('{{ webinar.registerUrl }}', 'Подтвердить участие')}
<p>За час до начала пришлём ссылку в Telegram — {% if links.telegram %}<a href="{{ links.telegram }}">подключите бота</a>{% else %}бот скоро заработает{% endif %}.</p>
<p><a href="{{ webinar.calendar.google }}">Добавить в Google Календарь</a></p>`),
      text: `${NAME}, вы зарегистрированы на мастер-класс «{{ webinar.title }}»: ${SESSION}. Ссылка на эфир придёт за час до начала.`,
    }),
    waitFor('bot', {
      event: 'telegram.subscribed',
      timeout: '2h',
      then: [
        telegram('tg-welcome', {
          text: `<b>${NAME}, добро пожаловать!</b>\nЗдесь будут напоминания о мастер-классе (${S}) и ссылка на эфир.\nПока ждёте — короткий тест: какой аналитик из вас получится?`,
          buttons: [
            { id: 'confirm', text: '✅ Буду на эфире' },
            { id: 'quiz', text: 'Пройти тест', url: `${SITE}/quiz` },
          ],
          fallback: [asEmail({ subject: 'Вы с нами: мастер-класс уже скоро', text: `${NAME}, до встречи на мастер-классе ${S}!` })],
        }),
      ],
      else: [
        sms('sms-bot', {
          text: 'Датастарт: напоминания о мастер-классе {{ webinars.masterclass.date }} — в Telegram-боте: {{ links.telegram }}',
          fallback: [asEmail({
            subject: 'Подключите бота, чтобы не пропустить эфир',
            html: letter(`<p>${NAME}, чтобы не пропустить мастер-класс ${S}, подключите нашего Telegram-бота.</p>${button('{{ links.telegram }}', 'Подключить бота')}`),
          })],
        }),
      ],
    }),
    // A late sign-up (closer than 20h) still gets the warm-up at once — unless a later reminder has passed too.
    waitUntil('warmup-wait', { webinar: 'masterclass', offset: '-20h', late: 'send' }),
    email('warmup', {
      subject: '3 мифа о профессии аналитика данных',
      preheader: 'Нет, высшая математика не нужна',
      html: letter(`<p>${NAME}, перед мастер-классом разберём три мифа, из-за которых люди не решаются сменить профессию:</p>
<ol>
  <li><b>«Нужна высшая математика».</b> Хватит школьной статистики — остальному научим на курсе.</li>
  <li><b>«После 35 поздно».</b> Средний возраст наших выпускников — 32 года, каждый пятый старше 40.</li>
  <li><b>«Без опыта не возьмут».</b> За курс вы соберёте 12 проектов для портфолио.</li>
</ol>
<p>Подробно — на эфире ${S}.</p>
${button(`${SITE}/blog/myths`, 'Читать статью целиком')}`),
    }),
    waitUntil('day-before', { webinar: 'masterclass', offset: '-3h' }),
    email('remind-3h', {
      subject: 'Сегодня в {{ webinars.masterclass.time }}: мастер-класс «Аналитик данных за 6 месяцев»',
      html: letter(`<p>${NAME}, мастер-класс начнётся через 3 часа — в {{ webinars.masterclass.time }}.</p>
<p>В программе: чем аналитик отличается от data scientist, как выглядит рабочий день, сколько платят джунам в 2026 году. В конце — подарок: чек-лист «Первые 30 дней в аналитике».</p>
${button(JOIN, 'Ссылка на эфир')}`),
    }),
    waitUntil('hour-before', { webinar: 'masterclass', offset: '-1h' }),
    telegram('remind-1h', {
      text: `⏰ ${NAME}, через час начинаем!\nМастер-класс «Как стать аналитиком данных» — в {{ webinars.masterclass.time }}.`,
      buttons: [{ id: 'join', text: 'Войти в эфир', url: 'https://live.datastart.example/room/masterclass' }],
      fallback: [asSms('Датастарт: через час мастер-класс «Аналитик данных». Ссылка: {{ webinars.masterclass.joinUrl }}')],
    }),
    waitUntil('quarter', { webinar: 'masterclass', offset: '-15m' }),
    sms('remind-15m', {
      text: 'Датастарт: начинаем через 15 минут! Эфир: {{ webinars.masterclass.joinUrl }}',
      fallback: [asTelegram({ text: '🔴 Начинаем через 15 минут! Эфир: {{ webinars.masterclass.joinUrl }}' })],
    }),
    waitUntil('on-air', { webinar: 'masterclass', offset: '5m' }),
    telegram('live', {
      text: `🔴 Мы в эфире! ${NAME}, подключайтесь — сейчас разбираем, с чего начать.`,
      buttons: [{ id: 'join', text: 'Смотреть эфир', url: 'https://live.datastart.example/room/masterclass' }],
      fallback: [asEmail({ subject: 'Мы в эфире!', html: letter(`<p>${NAME}, мастер-класс уже идёт.</p>${button(JOIN, 'Подключиться')}`) })],
    }),
    waitUntil('after', { webinar: 'masterclass', offset: '2h' }),
    waitFor('attendance', { event: ['webinar.attended', 'webinar.missed'], timeout: '3h' }),
    branch('watched', {
      if: when.event('webinar.attended', { minutes: { gte: 30 } }),
      then: [
        email('offer-email', {
          subject: `${NAME}, спасибо, что были на эфире! Ваше предложение внутри`,
          html: letter(`<p>${NAME}, спасибо, что провели с нами вечер.</p>
<p>Как и обещали, для участников эфира — курс «Аналитик данных с нуля» за <b>39 900 ₽ вместо 59 900 ₽</b>. Предложение действует 72 часа.</p>
${button(OFFER, 'Забрать место со скидкой')}
<p>Подарок — чек-лист «Первые 30 дней в аналитике» — <a href="${SITE}/gift/checklist">по ссылке</a>.</p>`),
        }),
        telegram('offer-tg', {
          text: `${NAME}, спасибо за эфир! 🎁 Скидка 20 000 ₽ на курс действует 72 часа.`,
          buttons: [{ id: 'offer', text: 'Смотреть предложение', url: `${SITE}/offer` }, { id: 'question', text: 'Задать вопрос' }],
          fallback: [asSms('Датастарт: спасибо за эфир! Скидка 20 000 ₽ на курс — 72 часа: {{ links.pages.offer }}')],
        }),
      ],
      else: [
        email('replay', {
          subject: `${NAME}, запись мастер-класса уже доступна`,
          html: letter(`<p>${NAME}, не получилось досмотреть эфир? Ничего страшного — запись уже готова.</p>
${button('{{ webinars.masterclass.replayUrl }}', 'Смотреть запись')}
<p>Запись доступна 48 часов. В конце — специальное предложение для зрителей.</p>`),
        }),
        telegram('replay-tg', {
          text: `${NAME}, запись мастер-класса готова 🎬 Она будет доступна 48 часов.`,
          buttons: [{ id: 'replay', text: 'Смотреть запись', url: 'https://live.datastart.example/replay/masterclass' }],
          fallback: [asSms('Датастарт: запись мастер-класса доступна 48 часов: {{ webinars.masterclass.replayUrl }}')],
        }),
        waitUntil('replay-morning', { time: '10:00' }),
        email('replay-reminder', {
          subject: 'Запись мастер-класса удалим завтра',
          html: letter(`<p>${NAME}, напоминаем: запись мастер-класса будет доступна ещё сутки.</p>
${button('{{ webinars.masterclass.replayUrl }}', 'Досмотреть запись')}`),
        }),
        waitFor('replay-watched', {
          event: 'replay.clicked',
          timeout: '1d',
          then: [email('replay-offer', {
            subject: 'Для зрителей записи: курс со скидкой 20 000 ₽',
            html: letter(`<p>${NAME}, вы посмотрели запись — значит, тема вам близка.</p><p>Для зрителей записи действует та же цена, что и для участников эфира: 39 900 ₽.</p>${button(OFFER, 'Смотреть предложение')}`),
          })],
          else: [email('replay-last', {
            subject: 'Последний шанс посмотреть запись',
            html: letter(`<p>${NAME}, сегодня запись мастер-класса исчезнет.</p>${button('{{ webinars.masterclass.replayUrl }}', 'Смотреть запись')}${button(OFFER, 'Сразу к предложению')}`),
          })],
        }),
      ],
    }),
    wait('offer-pause', '1d'),
    email('cases', {
      subject: 'Из бухгалтера в аналитики за 7 месяцев: история Ольги',
      html: letter(`<p>${NAME}, Ольге было 38, она 12 лет работала бухгалтером. Через 7 месяцев после начала курса она вышла джуниор-аналитиком в маркетплейс.</p>
<p>«Боялась, что не потяну Python. Оказалось, SQL и Python проще, чем закрытие квартала».</p>
${button(`${SITE}/stories`, 'Ещё 40 историй выпускников')}
${button(OFFER, 'Записаться на курс')}`),
    }),
    wait('faq-pause', '1d'),
    telegram('faq', {
      text: `${NAME}, собрали ответы на частые вопросы:\n• Сколько времени нужно? — 8–10 часов в неделю.\n• А если не получится? — Вернём деньги в первые 14 дней.\n• Помогаете с работой? — Да, карьерный центр до трудоустройства.`,
      buttons: [{ id: 'offer', text: 'Оплатить со скидкой', url: `${SITE}/offer` }, { id: 'call', text: 'Позвоните мне' }],
      fallback: [asEmail({ subject: 'Ответы на частые вопросы о курсе', html: letter(`<p>${NAME}, 8–10 часов в неделю, возврат в первые 14 дней, карьерный центр до трудоустройства.</p>${button(OFFER, 'Оплатить со скидкой')}`) })],
    }),
    waitUntil('noon', { time: '12:00' }),
    sms('last-call', {
      text: 'Датастарт: скидка 20 000 ₽ на курс «Аналитик данных» сгорает сегодня в полночь. {{ links.pages.offer }}',
      fallback: [asTelegram({ text: `⏳ ${NAME}, скидка 20 000 ₽ сгорает сегодня в полночь.` })],
    }),
    waitUntil('evening', { time: '19:00' }),
    email('deadline', {
      subject: `${NAME}, осталось 5 часов`,
      html: letter(`<p>В полночь цена курса вернётся к 59 900 ₽.</p>${button(OFFER, 'Успеть за 39 900 ₽')}`),
    }),
    wait('after-deadline', '2d'),
    email('installments', {
      subject: 'Курс в рассрочку: 3 325 ₽ в месяц',
      html: letter(`<p>${NAME}, скидка закончилась, но учиться можно в рассрочку — 3 325 ₽ в месяц на 12 месяцев, без переплаты.</p>${button(`${SITE}/pay?plan=installments`, 'Оформить рассрочку')}`),
    }),
    telegram('feedback', {
      text: `${NAME}, что помешало начать обучение? Ответьте одним сообщением — это поможет нам стать лучше.`,
      fallback: [asEmail({ subject: 'Один вопрос', text: `${NAME}, что помешало начать обучение? Просто ответьте на это письмо.` })],
    }),
    exit('done'),
  ],
});
