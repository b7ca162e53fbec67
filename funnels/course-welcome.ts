/**
 * Курс «Python с нуля» — welcome series for a new lead (signed up for the free first lesson).
 *
 * Plan shape (other tests assert this exact schedule — change it only together with them):
 *
 *   welcome                                   email, right at enrollment
 *   night-1      wait 12h
 *   morning-1    waitUntil 10:00               → the next morning at 10:00
 *   lesson-1                                  email with the link to lesson 1
 *   clicked-lesson  waitFor 'lesson-1.clicked', timeout 2d
 *     then: morning-2  waitUntil 10:00        → the morning after the click
 *           lesson-2                          email
 *     else: reminder                          email "you have not opened lesson 1 yet"
 *   night-3      wait 12h
 *   morning-3    waitUntil 10:00
 *   offer                                     email, −30% for 72 hours
 *   offer-day-2  wait 1d
 *   stories                                   email, graduates' stories
 *   offer-day-3  wait 1d
 *   deadline                                  email, "24 hours left"
 *   evening      waitUntil 20:00
 *   last-call                                 email, "the discount ends tomorrow at 10:00"
 *
 * 8 touches: welcome, lesson-1, lesson-2, reminder, offer, stories, deadline, last-call
 * (each contact gets lesson-2 or reminder, never both). Goal: order.paid within 30 days; it ends
 * the enrollment at once, even in the middle of a wait. Every waitUntil here is reached hours
 * away from its target time, so the schedule does not depend on how the boundary minute is treated.
 */
import { defineFunnel, email, wait, waitFor, waitUntil } from '../src/dsl';

const SITE = 'https://pyschool.example';
const NAME = "{{ contact.firstName | default: 'друг' }}";

/** A tracked link to the school's site; the touch id shows in the analytics as utm_content. */
const link = (path: string) =>
  `${SITE}/${path}${path.includes('?') ? '&' : '?'}utm_source=email&utm_campaign={{ funnel.id }}&utm_content={{ touch.id }}`;

/** The common letter layout: body, then the signature. */
const letter = (body: string) => `<div style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; max-width: 600px">
${body}
<p>Анна Смирнова,<br>куратор курса «Python с нуля»</p>
<p style="color: #888; font-size: 12px">Вы получили это письмо, потому что записались на бесплатный урок на pyschool.example.</p>
</div>`;

const button = (href: string, label: string) =>
  `<p><a href="${href}" style="display: inline-block; padding: 12px 24px; background: #2b6cb0; color: #fff; border-radius: 6px; text-decoration: none">${label}</a></p>`;

export default defineFunnel({
  id: 'course-welcome',
  // An example: checked, drawn and simulated, but it enrolls only test contacts until you remove this line.
  draft: true,
  name: 'Курс «Python с нуля»: welcome-серия',
  entry: 'lead.created',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '30d', exit: true },
  attributes: ['source', 'interest'],
  steps: [
    email('welcome', {
      subject: `${NAME}, добро пожаловать на курс «Python с нуля»`,
      preheader: 'Что будет в ближайшую неделю и как не бросить на втором уроке',
      html: letter(`<p>Здравствуйте, ${NAME}!</p>
{% if contact.attributes.source == 'webinar' %}<p>Спасибо, что были на вебинаре, — запись уже лежит в личном кабинете.</p>{% endif %}
<p>Вы записались на бесплатный вводный модуль курса «Python с нуля». За неделю вы напишете первые программы, даже если никогда не программировали.</p>
<p>Как это будет устроено:</p>
<ul>
  <li>завтра в 10:00 пришлём первый урок — 20 минут видео и 3 задачи;</li>
  <li>ещё через день — второй урок, про циклы и списки;</li>
  <li>задачи проверяет автоматический тренажёр, а на вопросы отвечают кураторы в чате.</li>
</ul>
<p>Чтобы письма не терялись, добавьте наш адрес в контакты. А пока можно <a href="${link('setup')}">установить Python за 5 минут</a> — инструкция для Windows, macOS и Linux.</p>`),
    }),
    wait('night-1', '12h'),
    waitUntil('morning-1', { time: '10:00' }),
    email('lesson-1', {
      subject: 'Урок 1: первая программа за 20 минут',
      preheader: 'Переменные, print() и маленький калькулятор расходов',
      html: letter(`<p>${NAME}, первый урок уже открыт!</p>
<p>В нём вы:</p>
<ul>
  <li>разберётесь, что такое переменные и типы данных;</li>
  <li>напишете калькулятор, который считает ваши расходы за месяц;</li>
  <li>решите 3 задачи в тренажёре — прямо в браузере, ничего устанавливать не нужно.</li>
</ul>
${button(link('lesson-1'), 'Смотреть урок 1')}
<p>Урок занимает 20 минут. Лучше пройти его сегодня, пока есть настрой: по нашей статистике, кто начинает в первый день, доходит до конца в три раза чаще.</p>`),
    }),
    waitFor('clicked-lesson', {
      event: 'lesson-1.clicked',
      timeout: '2d',
      then: [
        waitUntil('morning-2', { time: '10:00' }),
        email('lesson-2', {
          subject: 'Урок 2: циклы, списки и первая автоматизация',
          preheader: 'Научим компьютер делать скучную работу за вас',
          html: letter(`<p>${NAME}, отлично, что вы начали! Вот второй урок.</p>
{% case contact.attributes.interest %}
{% when 'data' %}<p>Вы писали, что вас интересует анализ данных, — в этом уроке мы посчитаем статистику по настоящей таблице продаж.</p>
{% when 'web' %}<p>Вы писали, что хотите делать сайты, — в этом уроке мы соберём данные для будущей веб-страницы.</p>
{% else %}<p>В этом уроке мы напишем скрипт, который сам переименует сотню файлов в папке.</p>
{% endcase %}
${button(link('lesson-2'), 'Смотреть урок 2')}
<p>Застряли на задаче из первого урока? Просто ответьте на это письмо — куратор поможет.</p>`),
        }),
      ],
      else: [
        email('reminder', {
          subject: `${NAME}, первый урок всё ещё ждёт вас`,
          preheader: '20 минут — и первая программа готова',
          html: letter(`<p>${NAME}, вы записались на курс, но ещё не открыли первый урок.</p>
<p>Понимаем: работа, дела, не до того. Поэтому урок короткий — 20 минут, и его можно смотреть с телефона.</p>
${button(link('lesson-1'), 'Открыть урок 1')}
<p>Если что-то не получается — например, не приходит пароль от личного кабинета, — ответьте на это письмо, и мы разберёмся.</p>`),
        }),
      ],
    }),
    wait('night-3', '12h'),
    waitUntil('morning-3', { time: '10:00' }),
    email('offer', {
      subject: '−30% на полный курс «Python с нуля» — только 72 часа',
      preheader: 'Промокод START30 для тех, кто прошёл вводный модуль',
      html: letter(`<p>${NAME}, вводный модуль — это 2 урока из 48. Полный курс проведёт вас от первых программ до собственного проекта в портфолио.</p>
<ul>
  <li>48 уроков и 120 задач с автоматической проверкой;</li>
  <li>куратор, который отвечает в течение дня;</li>
  <li>итоговый проект и сертификат;</li>
  <li>доступ к материалам навсегда.</li>
</ul>
<p>Для вас — скидка 30% по промокоду <b>START30</b>: <s>24 900 ₽</s> <b>17 430 ₽</b>, или в рассрочку от 1 453 ₽ в месяц.</p>
${button(link('checkout?promo=START30'), 'Записаться со скидкой')}
<p>Скидка действует 72 часа с момента этого письма.</p>`),
    }),
    wait('offer-day-2', '1d'),
    email('stories', {
      subject: 'Как бухгалтер, учитель и курьер стали разработчиками',
      preheader: 'Три истории выпускников курса «Python с нуля»',
      html: letter(`<p>${NAME}, часто слышим: «Мне уже поздно» или «Я гуманитарий». Вот три истории тех, кто тоже так думал.</p>
<p><b>Ольга, 38 лет, бухгалтер.</b> Автоматизировала квартальную отчётность: то, что занимало три дня, теперь делает скрипт за 10 минут.</p>
<p><b>Дмитрий, 27 лет, учитель информатики.</b> Через полгода после курса перешёл в IT-компанию на позицию junior-разработчика.</p>
<p><b>Руслан, 22 года, курьер.</b> Написал бота для расчёта маршрутов, показал его на собеседовании и получил первую работу в разработке.</p>
<p><a href="${link('stories')}">Читать истории полностью</a></p>
<p>Скидка 30% по промокоду <b>START30</b> действует ещё 2 дня.</p>
${button(link('checkout?promo=START30'), 'Записаться со скидкой')}`),
    }),
    wait('offer-day-3', '1d'),
    email('deadline', {
      subject: 'Остались сутки: скидка 30% скоро сгорит',
      preheader: 'Завтра в 10:00 цена вернётся к 24 900 ₽',
      html: letter(`<p>${NAME}, напоминаем: скидка 30% на курс «Python с нуля» действует до завтра, до 10:00.</p>
<p>Сейчас курс стоит <b>17 430 ₽</b> вместо 24 900 ₽ — экономия 7 470 ₽. Если сомневаетесь, учтите: в течение 14 дней после покупки можно вернуть деньги без объяснения причин.</p>
${button(link('checkout?promo=START30'), 'Успеть со скидкой')}`),
    }),
    waitUntil('evening', { time: '20:00' }),
    email('last-call', {
      subject: `${NAME}, последний шанс: скидка сгорает утром`,
      preheader: 'Промокод START30 работает до 10:00',
      html: letter(`<p>${NAME}, это последнее письмо о скидке.</p>
<p>Промокод <b>START30</b> перестанет работать завтра в 10:00. Дальше — только полная цена.</p>
${button(link('checkout?promo=START30'), 'Записаться за 17 430 ₽')}
<p>Если остались вопросы про курс или оплату — ответьте на это письмо, до утра успеем ответить.</p>`),
    }),
  ],
});

/*
 * Exact schedule (virtual time). Enrollment at 2026-01-05T07:00:00Z = Monday 10:00 in Moscow (UTC+3,
 * no DST); the contact's zone is Europe/Moscow. Offsets are from enrollment; sends happen the moment
 * the preceding wait ends (activity time ignored).
 *
 * 1. Never opens or clicks anything, never buys — gets the whole non-clicker path, then the run ends.
 *      welcome     +0         2026-01-05T07:00Z  Mon 10:00
 *      lesson-1    +1d        2026-01-06T07:00Z  Tue 10:00   (night-1 ends Mon 22:00, morning-1 waits to Tue 10:00)
 *      reminder    +3d        2026-01-08T07:00Z  Thu 10:00   (clicked-lesson times out 2d after lesson-1)
 *      offer       +4d        2026-01-09T07:00Z  Fri 10:00   (night-3 ends Thu 22:00, morning-3 waits to Fri 10:00)
 *      stories     +5d        2026-01-10T07:00Z  Sat 10:00
 *      deadline    +6d        2026-01-11T07:00Z  Sun 10:00
 *      last-call   +6d10h     2026-01-11T17:00Z  Sun 20:00   → enrollment completes (7 touches, no conversion)
 *
 * 2. lesson-1.clicked at +1d3h (2026-01-06T10:00Z, Tue 13:00), order.paid at +5d2h (2026-01-10T09:00Z, Sat 12:00).
 *      welcome     +0         2026-01-05T07:00Z  Mon 10:00
 *      lesson-1    +1d        2026-01-06T07:00Z  Tue 10:00
 *      lesson-2    +2d        2026-01-07T07:00Z  Wed 10:00   (click ends clicked-lesson, morning-2 waits to Wed 10:00)
 *      offer       +3d        2026-01-08T07:00Z  Thu 10:00   (night-3 ends Wed 22:00, morning-3 waits to Thu 10:00)
 *      stories     +4d        2026-01-09T07:00Z  Fri 10:00
 *      deadline    +5d        2026-01-10T07:00Z  Sat 10:00
 *      order.paid  +5d2h      during 'evening' → goal, exit; last-call is never sent (6 touches)
 *
 * 3. order.paid at +1d2h (2026-01-06T09:00Z, Tue 12:00), nothing else.
 *      welcome     +0         2026-01-05T07:00Z  Mon 10:00
 *      lesson-1    +1d        2026-01-06T07:00Z  Tue 10:00
 *      order.paid  +1d2h      during 'clicked-lesson' → goal, exit (2 touches)
 */
