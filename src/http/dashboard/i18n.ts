/** Languages the dashboard speaks; the first is the default. */
export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const ru = {
  title: 'autofunnel',
  funnels: 'Воронки',
  outbox: 'Outbox',
  logout: 'Выйти',
  switchLang: 'English',
  outboxBanner: 'Режим outbox: письма не отправляются, а сохраняются здесь (SMTP_URL не задан)',
  loginTitle: 'Вход в панель',
  password: 'Пароль',
  signIn: 'Войти',
  wrongPassword: 'Неверный пароль',
  staleForm: 'Форма устарела — попробуйте ещё раз',
  overviewTitle: 'Обзор воронок',
  noFunnels: 'Воронок пока нет — добавьте файл в funnels/',
  name: 'Название',
  id: 'ID',
  version: 'Версия',
  enrolled: 'Вошли',
  active: 'Активны',
  converted: 'Конверсии',
  conversionRate: 'Конверсия, %',
  revenue: 'Выручка',
  touches: 'Касания',
  touch: 'Касание',
  channel: 'Канал',
  sent: 'Отправлено',
  delivered: 'Доставлено',
  inOutbox: 'В outbox',
  opened: 'Открыто',
  clicked: 'Переходы',
  failed: 'Ошибки',
  skipped: 'Пропущено',
  noTouches: 'В воронке нет касаний',
  model: 'Атрибуция: последнее касание',
  from: 'С',
  to: 'По',
  apply: 'Показать',
  reset: 'Сбросить',
  allTime: 'За всё время',
  badDate: 'Даты задаются как ГГГГ-ММ-ДД; неверная дата не учтена',
  zoneNote: 'Даты — в часовом поясе воронки',
  goal: 'Цель',
  allFunnels: '← Все воронки',
  notFound: 'Не найдено',
  funnelNotFound: 'Воронка не найдена',
  outboxTitle: 'Outbox: сохранённые письма',
  latest: 'Последние 100 писем',
  noOutbox: 'Писем пока нет',
  time: 'Время',
  recipient: 'Получатель',
  subject: 'Тема',
  funnel: 'Воронка',
  body: 'Письмо',
  textBody: 'Текст',
  htmlBody: 'HTML (исходный код)',
} as const;

/** Every message the dashboard shows, by key. */
export type Messages = Record<keyof typeof ru, string>;

const en: Messages = {
  title: 'autofunnel',
  funnels: 'Funnels',
  outbox: 'Outbox',
  logout: 'Log out',
  switchLang: 'Русский',
  outboxBanner: 'Outbox mode: emails are stored here, not sent (SMTP_URL is not set)',
  loginTitle: 'Dashboard sign-in',
  password: 'Password',
  signIn: 'Sign in',
  wrongPassword: 'Wrong password',
  staleForm: 'The form has expired — please try again',
  overviewTitle: 'Funnels overview',
  noFunnels: 'No funnels yet — add a file to funnels/',
  name: 'Name',
  id: 'ID',
  version: 'Version',
  enrolled: 'Enrolled',
  active: 'Active',
  converted: 'Converted',
  conversionRate: 'Conversion rate',
  revenue: 'Revenue',
  touches: 'Touches',
  touch: 'Touch',
  channel: 'Channel',
  sent: 'Sent',
  delivered: 'Delivered',
  inOutbox: 'Outbox',
  opened: 'Opened',
  clicked: 'Clicked',
  failed: 'Failed',
  skipped: 'Skipped',
  noTouches: 'This funnel has no touches',
  model: 'Attribution: last touch',
  from: 'From',
  to: 'To',
  apply: 'Apply',
  reset: 'Reset',
  allTime: 'All time',
  badDate: 'Dates are YYYY-MM-DD; an invalid date was ignored',
  zoneNote: "Dates are in the funnel's time zone",
  goal: 'Goal',
  allFunnels: '← All funnels',
  notFound: 'Not found',
  funnelNotFound: 'Funnel not found',
  outboxTitle: 'Outbox: stored emails',
  latest: 'Latest 100 emails',
  noOutbox: 'No emails yet',
  time: 'Time',
  recipient: 'Recipient',
  subject: 'Subject',
  funnel: 'Funnel',
  body: 'Email',
  textBody: 'Text',
  htmlBody: 'HTML (source)',
};

const dictionaries: Record<Lang, Messages> = { ru, en };

/** Locale-aware number and date formatting for one language. */
export interface Formatters {
  count(n: number): string;
  decimal(n: number): string;
  percent(n: number): string;
  money(n: number): string;
  dateTime(ms: number): string;
}

/** The messages and formatters of a language. */
export interface I18n {
  lang: Lang;
  m: Messages;
  fmt: Formatters;
}

/** Narrows any string to a supported language, or undefined. */
export function asLang(value: string | undefined | null): Lang | undefined {
  return (LANGS as readonly string[]).includes(value ?? '') ? (value as Lang) : undefined;
}

/** Builds the messages and Intl formatters for a language. */
export function i18n(lang: Lang): I18n {
  const count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    m: dictionaries[lang],
    fmt: {
      count: (n) => count.format(n),
      decimal: (n) => decimal.format(n),
      percent: (n) => percent.format(n),
      money: (n) => money.format(n),
      dateTime: (ms) => dateTime.format(new Date(ms)),
    },
  };
}
