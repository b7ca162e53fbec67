import { defineFunnel, email, sms, telegram, wait, waitFor } from '../../../src/dsl';

// The channels end-to-end test's funnel: lead form → email → Telegram bot → button press → SMS; waits in seconds.
export default defineFunnel({
  id: 'channels-tour',
  name: 'Все каналы (e2e)',
  entry: null,
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '1d', exit: true, value: 9900 },
  pages: [
    {
      id: 'thank-you',
      title: 'Спасибо за заявку',
      html: "<h1>{{ contact.firstName | default: 'друг' }}, заявка принята</h1><p><a class=\"button\" href=\"{{ links.telegram }}\">Подключить Telegram-бота</a></p>",
    },
  ],
  form: {
    title: 'Заявка на курс',
    fields: [
      { name: 'name', label: 'Имя', required: true },
      { name: 'email', label: 'Email', required: true },
      { name: 'phone', label: 'Телефон' },
    ],
    consents: [
      { channel: 'email', label: 'Согласен получать письма', required: true },
      { channel: 'sms', label: 'Согласен получать SMS' },
    ],
    thankYouPage: 'thank-you',
  },
  steps: [
    email('welcome', {
      subject: 'Добро пожаловать, {{ contact.firstName }}!',
      html: '<p>Первый урок: <a href="https://school.example/lesson-1">открыть</a></p><p><a href="{{ links.unsubscribe }}">Отписаться</a></p>',
    }),
    waitFor('bot', {
      event: 'telegram.subscribed',
      timeout: '20s',
      then: [
        telegram('tg-hello', { text: '<b>{{ contact.firstName }}</b>, вы с нами! Готовы к первому уроку?', buttons: [{ id: 'yes', text: 'Да' }] }),
        waitFor('answer', {
          event: 'tg-hello.clicked',
          timeout: '20s',
          then: [sms('sms-yes', { text: 'Школа: урок 1 уже ждёт вас, {{ contact.firstName }}!' })],
        }),
      ],
      else: [email('no-bot', { subject: 'Подключите бота', text: 'Так вы не пропустите урок.' })],
    }),
    // Keeps the enrollment running until the goal arrives (the goal ends it as converted).
    wait('linger', '10m'),
  ],
});
