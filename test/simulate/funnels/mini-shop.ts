/**
 * A small funnel for the simulator's tests: a send window that defers a night touch, a Telegram touch with an SMS
 * fallback, an A/B split, a wait for a click on either offer, a touch with a holdout group, and a goal that ends the
 * enrollment.
 */
import { asSms, defineFunnel, email, sms, split, telegram, wait, waitFor } from '../../../src/dsl';

export default defineFunnel({
  id: 'mini-shop',
  name: 'Мини-магазин: знакомство',
  entry: 'lead.created',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '14d', exit: true, value: 4900 },
  policy: { sendWindow: { from: '09:00', to: '21:00' } },
  steps: [
    email('hello', { subject: "{{ contact.firstName | default: 'друг' }}, добро пожаловать", html: '<p>Здравствуйте! <a href="https://shop.example/catalog">Каталог</a> · <a href="{{ links.unsubscribe }}">Отписаться</a></p>' }),
    wait('pause', '12h'),
    telegram('tips', {
      text: '<b>Три совета</b> по выбору\nПодробнее на сайте',
      buttons: [{ id: 'site', text: 'На сайт', url: 'https://shop.example/tips' }, { id: 'more', text: 'Ещё' }],
      fallback: [asSms('Мини-магазин: три совета по выбору — https://shop.example/tips')],
    }),
    split('offer-test', [
      { id: 'a', weight: 1, steps: [email('offer-a', { subject: 'Скидка 10% на первый заказ', text: 'Промокод HELLO10: https://shop.example/a' })] },
      { id: 'b', weight: 1, steps: [email('offer-b', { subject: 'Скидка 20% — только сегодня', text: 'Промокод HELLO20: https://shop.example/b' })] },
    ]),
    waitFor('clicked', {
      event: ['offer-a.clicked', 'offer-b.clicked'],
      timeout: '1d',
      then: [sms('thanks-click', { text: 'Мини-магазин: промокод уже в корзине, заказ можно оформить до полуночи.' })],
      else: [email('reminder', { subject: 'Промокод ещё действует', text: 'Не забудьте про скидку.' })],
    }),
    wait('later', '2d'),
    email('last', { subject: 'Последний день скидки', text: 'Завтра цены вернутся.', holdout: 0.5 }),
  ],
});
