import { ru } from './messages/ru';
import { en } from './messages/en';

/** Languages the dashboard speaks; the first is the default. */
export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Every message the dashboard shows, by key (the Russian file defines the keys). */
export type Messages = Record<keyof typeof ru, string>;
/** A message key. */
export type MessageKey = keyof Messages;

const dictionaries: Record<Lang, Messages> = { ru, en };

/** Locale-aware number, date and duration formatting for one language. */
export interface Formatters {
  count(n: number): string;
  decimal(n: number): string;
  percent(n: number): string;
  money(n: number): string;
  /** Date and time in the server's zone (for things with no better zone). */
  dateTime(ms: number): string;
  /** Date and time as a clock in `zone` shows it (with the zone's short offset name). */
  dateTimeIn(ms: number, zone: string): string;
  /** A calendar date in the language's form, as a clock in `zone` (UTC by default) shows it: ru 01.12.2026, en Dec 1, 2026. */
  date(ms: number, zone?: string): string;
  /** A day and month without the year: ru «1 дек.», en Dec 1. */
  dayMonth(ms: number, zone?: string): string;
  /** A positive duration as at most two units: "2 дн. 3 ч", "5 min". */
  duration(ms: number): string;
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

/** The message `<prefix><code>` when it exists (a status, a model, a timeline kind), else the raw code. */
export function labelOf(m: Messages, prefix: string, code: string): string {
  return (m as Record<string, string>)[`${prefix}${code}`] ?? code;
}

/** Replaces `{name}` placeholders in a message. */
export function fill(message: string, vars: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (all, key: string) => (key in vars ? String(vars[key]) : all));
}

const UNITS = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]] as const;

/** Builds the messages and Intl formatters for a language. */
export function i18n(lang: Lang): I18n {
  const count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const zoned = new Map<string, Intl.DateTimeFormat>();
  const dates = new Map<string, Intl.DateTimeFormat>();
  /** The one place dates get their form: numeric in Russian (01.12.2026), the month's short name in English (Dec 1, 2026). */
  const dateFormat = (kind: 'date' | 'dayMonth', zone: string) => {
    const key = `${kind} ${zone}`;
    let f = dates.get(key);
    if (!f) {
      const full: Intl.DateTimeFormatOptions = lang === 'ru' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
      f = new Intl.DateTimeFormat(lang, { timeZone: zone, ...(kind === 'date' ? full : { day: 'numeric', month: 'short' }) });
      dates.set(key, f);
    }
    return f;
  };
  const units = Object.fromEntries(UNITS.map(([u]) => [u, new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short' })]));
  const unit = (u: string, n: number) => units[u]?.format(n) ?? String(n);
  return {
    lang,
    m: dictionaries[lang],
    fmt: {
      count: (n) => count.format(n),
      decimal: (n) => decimal.format(n),
      percent: (n) => percent.format(n),
      money: (n) => money.format(n),
      dateTime: (ms) => dateTime.format(new Date(ms)),
      dateTimeIn: (ms, zone) => {
        let f = zoned.get(zone);
        if (!f) {
          f = new Intl.DateTimeFormat(lang, {
            timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
          });
          zoned.set(zone, f);
        }
        return f.format(new Date(ms));
      },
      date: (ms, zone = 'UTC') => dateFormat('date', zone).format(new Date(ms)),
      dayMonth: (ms, zone = 'UTC') => dateFormat('dayMonth', zone).format(new Date(ms)),
      duration: (ms) => {
        const total = Math.max(0, Math.round(ms));
        const found = UNITS.findIndex(([, s]) => total >= s);
        const i = found < 0 ? UNITS.length - 1 : found;
        const [first, size] = UNITS[i] ?? UNITS[3];
        const whole = Math.floor(total / size);
        const parts = [unit(first, whole)];
        const next = UNITS[i + 1];
        const more = next ? Math.floor((total - whole * size) / next[1]) : 0;
        if (next && more > 0) parts.push(unit(next[0], more));
        return parts.join(' ');
      },
    },
  };
}
