import { describe, expect, it } from 'vitest';
import { formatProblem, formatWarning, validateFunnel, type CheckEnvironment } from '../../src/dsl/check';
import { when } from '../../src/dsl/conditions';
import { defineFunnel, type FunnelInput } from '../../src/dsl/define';
import type { Step } from '../../src/dsl/plan';
import { asEmail, asSms, asTelegram, branch, email, sms, telegram, wait, waitFor, waitUntil, webinarInvite } from '../../src/dsl/steps';

const FILE = 'funnels/t.ts';
const welcome = email('welcome', { subject: 'Привет', html: '<p>Hi</p>' });

/** A funnel with a webinar, two pages and a form; steps and overrides as given. */
function funnel(steps: Step[], overrides: Partial<FunnelInput> = {}) {
  return defineFunnel({
    id: 't', name: 'Test', entry: 'lead.created', goal: { event: 'order.paid', within: '30d' },
    webinars: [{ id: 'live', title: 'Эфир', schedule: { times: ['19:00'] }, minLead: '1h', joinUrl: 'https://meet.example.test/live' }],
    pages: [{ id: 'thank-you', title: 'Спасибо', html: '<p>Спасибо</p>' }, { id: 'offer', title: 'Оффер', html: '<p>Цена</p>' }],
    form: { title: 'Запись', fields: [{ name: 'email', label: 'Email', required: true }], thankYouPage: 'thank-you' },
    steps, ...overrides,
  });
}
const problems = (def: unknown) => validateFunnel(def).problems.map((p) => formatProblem(FILE, p));
const warnings = (def: unknown, env: CheckEnvironment = {}) => validateFunnel(def, env).warnings.map((p) => formatWarning(FILE, p));

describe('check reports every problem of a file in one run', () => {
  it('a broken step does not hide the mistakes in the other steps', () => {
    const def = funnel([
      welcome,
      wait('pause', 'bogus'),                                                   // schema: not a duration
      waitFor('ask', { event: 'welcome.clikced', timeout: '1d' }),              // unknown event
      email('hi', { subject: 'Привет, {{ contact.fristName }}', text: 'x' }),   // unknown variable
      branch('b', { if: when.clicked('welcom'), then: [sms('welcome', { text: 'x' })] }), // unknown touch, duplicate id
    ]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/pause: 'bogus' is not a duration — write it like '30m', '2h', '3d' or '1d12h'",
      "funnels/t.ts: t/welcome: step id 'welcome' is used more than once — give every step its own id — deliveries, stats and migrations find steps by id",
      "funnels/t.ts: t/ask: event 'welcome.clikced' is not known to this funnel — did you mean 'welcome.clicked'? If not, declare it: events: ['welcome.clikced']",
      "funnels/t.ts: t/b: the condition asks about touch 'welcom', which is not a touch or page of this funnel — did you mean 'welcome'?",
      'funnels/t.ts: t/hi: subject uses {{ contact.fristName }}, which is not a known variable — did you mean {{ contact.firstName }}?',
    ]);
  });

  it('checks the steps inside a broken branch and the templates of a broken email', () => {
    const bodiless = { type: 'email', id: 'nobody', subject: '{{ contact.nmae }}' } as unknown as Step;
    const def = funnel([welcome, branch('b', { if: when.opened('welcome'), then: [bodiless, waitFor('w', { event: 'nope.never', timeout: '1d' })] })]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/nobody: the email has no body — add html: '…' or text: '…'",
      "funnels/t.ts: t/w: event 'nope.never' is not known to this funnel — declare it: events: ['nope.never'], or use a touch event like '<touchId>.clicked'",
      'funnels/t.ts: t/nobody: subject uses {{ contact.nmae }}, which is not a known variable — did you mean {{ contact.name }}?',
    ]);
  });

  it('still checks the form and the pages when the goal is broken', () => {
    const def = funnel([welcome], {
      goal: { event: 'order.paid', within: 'soon' },
      form: { title: 'F', fields: [{ name: 'email', label: 'E' }], thankYouPage: 'thanks' },
    });
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/goal: 'soon' is not a duration — write it like '30m', '2h', '3d' or '1d12h'",
      "funnels/t.ts: t/form: the form's thankYouPage 'thanks' is not a page of this funnel — did you mean 'thank-you'?",
    ]);
  });
});

describe('check knows every page and webinar reference', () => {
  it('reports a page that does not exist in a fallback, with the near one', () => {
    const def = funnel([sms('last-call', { text: 'Скидка: {{ links.pages.offer }}', fallback: [asEmail({ subject: 'Скидка', html: '<a href="{{ links.pages.ofer }}">Забрать</a>' })] })]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/last-call: fallback[0] (email) html uses {{ links.pages.ofer }}, but 'ofer' is not a page of this funnel (the link would be empty) — did you mean {{ links.pages.offer }}?",
    ]);
  });

  it('reports a webinar that does not exist, and an unknown field of one that does', () => {
    const def = funnel([sms('remind', { text: 'Эфир: {{ webinars.lve.joinUrl }} {{ webinars.live.jionUrl }} {{ webinars.main.date }}' })]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/remind: text uses {{ webinars.lve.joinUrl }}, but 'lve' is not a webinar of this funnel — did you mean {{ webinars.live.joinUrl }}?",
      'funnels/t.ts: t/remind: text uses {{ webinars.live.jionUrl }}, which is not a known variable — did you mean {{ webinars.live.joinUrl }}?',
      "funnels/t.ts: t/remind: text uses {{ webinars.main.date }}, but 'main' is not a webinar of this funnel — declare it: webinars: [{ id: 'main', title, startsAt or schedule, joinUrl }]",
    ]);
  });

  it('checks Telegram buttons (text and URL), their fallbacks and invites', () => {
    const def = funnel([
      webinarInvite('invite', { webinar: 'live', via: 'telegram', text: 'Вы записаны на {{ webinar.date }}', buttons: [{ id: 'go', text: 'Вход', url: '{{ webinar.joinUrl }}' }] }),
      telegram('offer-tg', {
        text: 'Скидка',
        buttons: [{ id: 'buy', text: 'Купить за {{ contact.attributes.price }}', url: '{{ links.pages.ofer }}' }],
        fallback: [asTelegram({ text: 'x', buttons: [{ id: 'join', text: 'Эфир', url: '{{ webinars.lve.joinUrl }}' }] })],
      }),
    ]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/offer-tg: buttons[0][0].text uses {{ contact.attributes.price }}, but 'price' is not a declared attribute — declare it: attributes: ['price']",
      "funnels/t.ts: t/offer-tg: buttons[0][0].url uses {{ links.pages.ofer }}, but 'ofer' is not a page of this funnel (the link would be empty) — did you mean {{ links.pages.offer }}?",
      "funnels/t.ts: t/offer-tg: fallback[0] (telegram) buttons[0][0].url uses {{ webinars.lve.joinUrl }}, but 'lve' is not a webinar of this funnel — did you mean {{ webinars.live.joinUrl }}?",
    ]);
  });

  it('says webinar.* exists only in invites and pages know no webinars and no unsubscribe link', () => {
    const def = funnel([email('remind', { subject: 'Эфир {{ webinar.date }}', text: 'x' })], {
      pages: [
        { id: 'thank-you', title: 'Спасибо', html: '<p>Эфир {{ webinars.live.date }}</p><a href="{{ links.unsubscribe }}">x</a><a href="{{ links.pages.ofer }}">y</a>' },
        { id: 'offer', title: 'Оффер', html: '<p>Цена</p>' },
      ],
    });
    expect(problems(def)).toEqual([
      'funnels/t.ts: t/remind: subject uses {{ webinar.date }}, but webinar.* only exists in a webinar invite — use {{ webinars.live.date }}: the contact\'s session of that webinar',
      "funnels/t.ts: t/thank-you: html uses {{ webinars.live.date }}, but pages are rendered without webinar sessions — put the session's date and links into the invite or a reminder; pages know the contact, the funnel and links.*",
      'funnels/t.ts: t/thank-you: html uses {{ links.unsubscribe }}, but pages have no unsubscribe link — the unsubscribe link belongs in messages; pages can use links.pages.* and links.telegram',
      "funnels/t.ts: t/thank-you: html uses {{ links.pages.ofer }}, but 'ofer' is not a page of this funnel (the link would be empty) — did you mean {{ links.pages.offer }}?",
    ]);
  });

  it('says form texts are not templates', () => {
    const def = funnel([welcome], { form: { title: 'Эфир {{ webinars.live.date }}', fields: [{ name: 'email', label: 'Email' }], thankYouPage: 'thank-you' } });
    expect(problems(def)).toEqual([
      'funnels/t.ts: t/form: the form\'s title "Эфир {{ webinars.live.date }}" contains Liquid, but forms are shown as written — write the text itself: the form is shown before the funnel knows the visitor',
    ]);
  });
});

describe('check hints for contact variables', () => {
  it('asks to declare an attribute instead of suggesting an unrelated field', () => {
    expect(problems(funnel([email('hi', { subject: 'Привет из {{ contact.city }}', text: 'x' })]))).toEqual([
      "funnels/t.ts: t/hi: subject uses {{ contact.city }}, but 'city' is not a contact field — for your own field, declare attributes: ['city'] and use {{ contact.attributes.city }}",
    ]);
    expect(problems(funnel([email('hi', { subject: 'Привет из {{ contact.city }}', text: 'x' })], { attributes: ['city'] }))).toEqual([
      "funnels/t.ts: t/hi: subject uses {{ contact.city }}, but 'city' is an attribute — use {{ contact.attributes.city }}",
    ]);
  });
});

describe('check warnings', () => {
  const nudge = sms('nudge', { text: 'Бот: {{ links.telegram }}' });
  const guarded = email('guarded', { subject: 'x', html: '{% if links.telegram %}<a href="{{ links.telegram }}">Бот</a>{% endif %}' });

  it('warns about {{ links.telegram }} when no bot is configured, unless the template tests for it', () => {
    const def = funnel([nudge, guarded]);
    expect(problems(def)).toEqual([]);
    expect(warnings(def, { telegramBot: false })).toEqual([
      'funnels/t.ts: warning: t/nudge: text uses {{ links.telegram }}, but no Telegram bot is configured (TELEGRAM_BOT_TOKEN is unset): it renders empty — set TELEGRAM_BOT_TOKEN, or show it only with one: {% if links.telegram %}…{% endif %}',
    ]);
    expect(warnings(def, { telegramBot: true })).toEqual([]);
    expect(warnings(def)).toEqual([]);
    expect(validateFunnel(def, { telegramBot: false }).plan).toBeDefined(); // a warning does not refuse the funnel
  });

  it('warns about webinar reminders further before the session than its minLead, unless late is said', () => {
    const remind = (id: string, offset: string, late?: 'skip' | 'send') => [waitUntil(`${id}-wait`, { webinar: 'live', offset: offset as '-1h', ...(late && { late }) }), email(id, { subject: id, text: 'x' })];
    const invite = webinarInvite('invite', { webinar: 'live', via: 'email', subject: 'S', text: 'T' });
    expect(warnings(funnel([invite, ...remind('r3h', '-3h'), ...remind('r2h', '-2h'), ...remind('r30m', '-30m')]))).toEqual([
      "funnels/t.ts: warning: t/r3h-wait: a contact who signs up less than 3h before the session of 'live' (its minLead is 1h) reaches this wait after its moment: the touches after it are skipped as too_late (without that, every such reminder would arrive at once) — say what you want: late: 'skip' keeps that, late: 'send' sends it at once (only the latest passed reminder goes out), or raise minLead to 3h",
      "funnels/t.ts: warning: t/r2h-wait: a contact who signs up less than 2h before the session of 'live' (its minLead is 1h) reaches this wait after its moment: the touches after it are skipped as too_late (without that, every such reminder would arrive at once) — say what you want: late: 'skip' keeps that, late: 'send' sends it at once (only the latest passed reminder goes out), or raise minLead to 2h",
    ]);
    expect(warnings(funnel([invite, ...remind('r3h', '-3h', 'skip'), ...remind('r2h', '-2h', 'send')]))).toEqual([]);
  });

  it('refuses late on a wait that is not for a webinar, and a late policy it does not know', () => {
    expect(problems(funnel([welcome, { type: 'waitUntil', id: 'morning', time: '10:00', late: 'send' } as Step]))).toEqual([
      "funnels/t.ts: t/morning: late only applies to a webinar wait — drop late, or wait for a webinar: waitUntil('hour-before', { webinar: 'main', offset: '-1h', late: 'send' })",
    ]);
    expect(problems(funnel([welcome, waitUntil('w', { webinar: 'live', offset: '-1h', late: 'later' as 'send' })]))).toEqual([
      "funnels/t.ts: t/w: 'later' is not a late policy — write late: 'skip' (the default: a passed reminder is skipped) or late: 'send'",
    ]);
  });
});
