/**
 * Онлайн-школа «Дата Старт» — после покупки: благодарность, отзыв, рекомендация.
 * Entered by `order.paid` (the webinar funnel's goal ends that funnel; this one picks the customer up).
 *
 *   thanks        email at once: receipt and first steps
 *   thanks-tg     telegram → sms: "welcome to the course", the students' chat
 *   week          wait 7d, then 11:00 local
 *   review        email: "how is the first week?" with a review link; goal review.left
 *   review-wait   waitFor review.left, 3d → then referral at once, else review-nudge in Telegram first
 *   referral      email: "bring a friend" — both get 5 000 ₽
 */
import { asEmail, asSms, defineFunnel, email, telegram, wait, waitFor, waitUntil } from '../src/dsl';

const SITE = 'https://datastart.example';
const NAME = "{{ contact.firstName | default: 'коллега' }}";
const letter = (body: string) => `<div style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; max-width: 600px">
${body}
<p>Команда «Дата Старт»</p>
<p style="color: #888; font-size: 12px"><a href="{{ links.unsubscribe }}">Отписаться от рассылки</a></p>
</div>`;

const referral = email('referral', {
  subject: 'Приведите друга — и оба получите 5 000 ₽',
  html: letter(`<p>${NAME}, если курс вам нравится, поделитесь им: ваш друг получит скидку 5 000 ₽, а вы — 5 000 ₽ на счёт.</p>
<p><a href="${SITE}/referral?ref={{ contact.id }}">Ваша персональная ссылка</a></p>`),
});

export default defineFunnel({
  id: 'after-purchase',
  // An example: checked, drawn and simulated, but it enrolls only test contacts until you remove this line.
  draft: true,
  name: 'После покупки: благодарность, отзыв, рекомендация',
  entry: 'order.paid',
  timezone: 'Europe/Moscow',
  goal: { event: 'review.left', within: '30d', exit: false },
  policy: { sendWindow: { from: '09:00', to: '21:00' }, priority: 20 },
  steps: [
    email('thanks', {
      subject: `${NAME}, добро пожаловать на курс «Аналитик данных с нуля»!`,
      html: letter(`<p>${NAME}, спасибо за оплату! Доступ к платформе уже открыт.</p>
<ol><li>Войдите в <a href="${SITE}/lk">личный кабинет</a>.</li><li>Пройдите вводный модуль — 40 минут.</li><li>Познакомьтесь с наставником в чате потока.</li></ol>`),
    }),
    telegram('thanks-tg', {
      text: `🎉 ${NAME}, вы в потоке! Чат студентов — по кнопке ниже.`,
      buttons: [{ id: 'chat', text: 'Чат потока', url: `${SITE}/chat` }],
      fallback: [asSms('Датастарт: спасибо за оплату! Доступ к курсу открыт: datastart.example/lk')],
    }),
    wait('week', '7d'),
    waitUntil('late-morning', { time: '11:00' }),
    email('review', {
      subject: 'Как прошла первая неделя?',
      html: letter(`<p>${NAME}, вы учитесь уже неделю. Расскажите, как впечатления? Отзыв займёт 2 минуты.</p><p><a href="${SITE}/review">Оставить отзыв</a></p>`),
    }),
    waitFor('review-wait', {
      event: 'review.left',
      timeout: '3d',
      then: [referral],
      else: [
        telegram('review-nudge', {
          text: `${NAME}, будем очень благодарны за короткий отзыв о первой неделе 🙏`,
          buttons: [{ id: 'review', text: 'Оставить отзыв', url: `${SITE}/review` }],
          fallback: [asEmail({ subject: 'Пара слов о курсе?', text: `${NAME}, оставьте, пожалуйста, короткий отзыв: ${SITE}/review` })],
        }),
      ],
    }),
  ],
});
