import { defineFunnel, email, exit, wait, waitFor } from '../../../src/dsl';

// The end-to-end test's funnel: the same shape as a real welcome series, with waits in seconds.
export default defineFunnel({
  id: 'quick-welcome',
  name: 'Быстрая приветственная серия (e2e)',
  entry: 'lead.created',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '1d', exit: true },
  attributes: ['course'],
  steps: [
    email('hello', {
      subject: 'Здравствуйте, {{ contact.firstName }}!',
      html: '<p>Вы записались на курс «{{ contact.attributes.course }}». <a href="https://school.example/lesson-1">Первый урок</a></p>',
    }),
    waitFor('lesson-click', {
      event: 'hello.clicked',
      timeout: '20s',
      then: [email('thanks', { subject: 'Отлично, урок открыт', text: 'Следующий урок завтра.' })],
      else: [email('nudge', { subject: 'Вы ещё не открыли урок', text: 'Загляните в первый урок.' })],
    }),
    wait('before-offer', '8s'),
    email('offer', { subject: 'Скидка 30% до пятницы', text: 'Оплатить курс со скидкой: https://school.example/pay' }),
    wait('before-last', '10s'),
    email('last-call', { subject: 'Последний шанс', text: 'Скидка сгорает сегодня.' }),
    exit('done'),
  ],
});
