import type { ConsentChannel } from '../../consent/record-consent';

/** Languages the contact-facing pages speak; Russian is the default. */
export const PAGE_LANGS = ['ru', 'en'] as const;
export type PageLang = (typeof PAGE_LANGS)[number];

const ru = {
  manageTitle: 'Управление подпиской',
  manageIntro: 'Отметьте, где вы хотите и дальше получать от нас сообщения. Снимите отметку, чтобы отписаться.',
  channelEmail: 'Письма на email',
  channelSms: 'SMS',
  channelTelegram: 'Сообщения в Telegram',
  channelVk: 'Сообщения ВКонтакте',
  alreadyOff: 'вы отписаны',
  save: 'Сохранить',
  unsubscribeAll: 'Отписаться от всего',
  nothingToManage: 'Вы не подписаны ни на один канал.',
  doneTitle: 'Готово',
  doneWithdrawn: 'Вы отписались от:',
  doneNothing: 'Изменений нет: вы уже отписаны от выбранных каналов.',
  doneKept: 'Мы продолжим писать вам только туда, где стоит отметка.',
  backToSettings: 'Изменить настройки',
  notFoundTitle: 'Ссылка не найдена',
  notFoundText: 'Эта ссылка недействительна или устарела. Проверьте, что она скопирована целиком.',
  badRequestTitle: 'Неверный запрос',
  badRequestText: 'Форма отправлена не полностью. Откройте ссылку из письма ещё раз.',
  switchLang: 'English',
  oneClickWording: 'Отписка в один клик из почтового клиента (List-Unsubscribe, RFC 8058)',
  formWording: 'Страница отписки: снята отметка канала',
  allWording: 'Страница отписки: кнопка «Отписаться от всего»',
} as const;

/** Every message the pages show, by key. */
export type PageMessages = Record<keyof typeof ru, string>;

const en: PageMessages = {
  manageTitle: 'Manage your subscription',
  manageIntro: 'Tick where you still want to hear from us. Untick a channel to unsubscribe from it.',
  channelEmail: 'Email',
  channelSms: 'Text messages (SMS)',
  channelTelegram: 'Telegram messages',
  channelVk: 'VK messages',
  alreadyOff: 'unsubscribed',
  save: 'Save',
  unsubscribeAll: 'Unsubscribe from everything',
  nothingToManage: 'You are not subscribed on any channel.',
  doneTitle: 'Done',
  doneWithdrawn: 'You have unsubscribed from:',
  doneNothing: 'Nothing changed: you had already unsubscribed from the chosen channels.',
  doneKept: 'We will only write to you where a box is ticked.',
  backToSettings: 'Change settings',
  notFoundTitle: 'Link not found',
  notFoundText: 'This link is invalid or has expired. Check that it was copied in full.',
  badRequestTitle: 'Bad request',
  badRequestText: 'The form was not sent completely. Please open the link from the email again.',
  switchLang: 'Русский',
  oneClickWording: 'One-click unsubscribe from the mail client (List-Unsubscribe, RFC 8058)',
  formWording: 'Unsubscribe page: channel unticked',
  allWording: 'Unsubscribe page: "Unsubscribe from everything" button',
};

/** The messages of a language. */
export function pageMessages(lang: PageLang): PageMessages {
  return lang === 'en' ? en : ru;
}

/** The name of a channel in a language. */
export function channelLabel(m: PageMessages, channel: ConsentChannel): string {
  return channel === 'email' ? m.channelEmail : channel === 'sms' ? m.channelSms : channel === 'vk' ? m.channelVk : m.channelTelegram;
}
