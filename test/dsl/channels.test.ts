import { describe, expect, it } from 'vitest';
import { formatProblem, validateFunnel } from '../../src/dsl/check';
import { when } from '../../src/dsl/conditions';
import { defineFunnel, type FunnelInput } from '../../src/dsl/define';
import type { Step } from '../../src/dsl/plan';
import { asEmail, asSms, asTelegram, branch, email, sms, telegram, waitUntil, webinarInvite } from '../../src/dsl/steps';

const FILE = 'funnels/t.ts';
const yes = { id: 'yes', text: 'Да' };
const site = { id: 'site', text: 'Сайт', url: 'https://example.com' };

describe('channel step builders', () => {
  it('builds sms and telegram touches with only the fields given; a flat button list becomes one row per button', () => {
    expect(sms('s', { text: 'Привет', holdout: 0.1 })).toStrictEqual({ type: 'sms', id: 's', text: 'Привет', holdout: 0.1 });
    expect(telegram('t', { text: 'Выбор', buttons: [yes, site] })).toStrictEqual({ type: 'telegram', id: 't', text: 'Выбор', buttons: [[yes], [site]] });
    expect(telegram('t', { text: 'x', buttons: [[yes, site], [yes]] }).buttons).toStrictEqual([[yes, site], [yes]]);
    expect(telegram('t', { text: 'x', parseMode: 'MarkdownV2', photo: 'https://img.example/1.jpg', utm: false }))
      .toStrictEqual({ type: 'telegram', id: 't', text: 'x', parseMode: 'MarkdownV2', photo: 'https://img.example/1.jpg', utm: false });
  });

  it('builds webinar invites for email and Telegram', () => {
    expect(webinarInvite('inv', { webinar: 'mc', via: 'email', subject: 'Вы записаны', text: 'Ждём вас' }))
      .toStrictEqual({ type: 'webinarInvite', id: 'inv', webinar: 'mc', via: 'email', text: 'Ждём вас', subject: 'Вы записаны' });
    expect(webinarInvite('inv', { webinar: 'mc', via: 'telegram', text: 'Ждём', buttons: [site] }))
      .toStrictEqual({ type: 'webinarInvite', id: 'inv', webinar: 'mc', via: 'telegram', text: 'Ждём', buttons: [[site]] });
  });

  it('builds fallback content for each channel', () => {
    expect(asEmail({ subject: 'S', text: 'T' })).toStrictEqual({ channel: 'email', subject: 'S', text: 'T' });
    expect(asSms('Коротко')).toStrictEqual({ channel: 'sms', text: 'Коротко' });
    expect(asTelegram({ text: 'Тг', buttons: [yes] })).toStrictEqual({ channel: 'telegram', text: 'Тг', buttons: [[yes]] });
    expect(sms('s', { text: 'a', fallback: [asSms('b')] }).fallback).toStrictEqual([{ channel: 'sms', text: 'b' }]);
  });

  it('turns a webinar wait offset into signed milliseconds', () => {
    expect(waitUntil('hour-before', { webinar: 'mc', offset: '-1h' })).toStrictEqual({ type: 'waitUntil', id: 'hour-before', webinar: 'mc', offsetMs: -3_600_000 });
    expect(waitUntil('w', { webinar: 'mc', offset: '+2h' }).offsetMs).toBe(7_200_000);
    expect(waitUntil('w', { webinar: 'mc', offset: '15m' }).offsetMs).toBe(900_000);
    expect(waitUntil('w', { webinar: 'mc', offset: '0' }).offsetMs).toBe(0);
    expect(waitUntil('w', { webinar: 'mc' })).toStrictEqual({ type: 'waitUntil', id: 'w', webinar: 'mc' });
  });
});

const invite = webinarInvite('invite', { webinar: 'masterclass', via: 'email', subject: 'Вы записаны на {{ webinar.title }}', text: 'Начало {{ webinar.date }} в {{ webinar.time }}' });
const hourBefore = waitUntil('hour-before', { webinar: 'masterclass', offset: '-1h' });
const reminder = email('reminder', { subject: 'Через час', text: 'Бот: {{ links.telegram }}, дата: {{ webinars.masterclass.date }}' });

/** A valid webinar funnel with the given steps and overrides. */
function funnel(steps: Step[] = [invite, hourBefore, reminder], overrides: Partial<FunnelInput> = {}) {
  return defineFunnel({
    id: 't', name: 'Test', entry: 'lead.created', goal: { event: 'order.paid', within: '30d' },
    webinars: [{ id: 'masterclass', title: 'Мастер-класс', startsAt: '2030-03-14T19:00:00+03:00', joinUrl: 'https://meet.example.test/mc' }],
    pages: [{ id: 'thanks', title: 'Спасибо', html: '<p>Вы записаны</p>' }],
    form: { title: 'Запись', fields: [{ name: 'email', label: 'Email', required: true }], thankYouPage: 'thanks' },
    policy: { sendWindow: { from: '09:00', to: '21:00' } },
    steps, ...overrides,
  });
}
const problems = (def: unknown) => validateFunnel(def).problems.map((p) => formatProblem(FILE, p));

describe('validateFunnel on channels, webinars, pages and forms', () => {
  it('accepts the funnel, links.telegram and webinars.<id>.date included, and keeps the plan data', () => {
    const result = validateFunnel(funnel());
    expect(result.problems).toEqual([]);
    expect(result.plan?.steps[1]).toEqual({ type: 'waitUntil', id: 'hour-before', webinar: 'masterclass', offsetMs: -3_600_000 });
    expect(result.plan?.policy).toEqual({ sendWindow: { from: '09:00', to: '21:00' }, priority: 0 });
  });

  it('names an invite of an undeclared webinar and suggests the near one', () => {
    const typo = webinarInvite('invite', { webinar: 'masterclas', via: 'email', subject: 'S', text: 'T' });
    expect(problems(funnel([typo, reminder]))).toEqual([
      "funnels/t.ts: t/invite: webinar 'masterclas' is not declared in this funnel — did you mean 'masterclass'?",
    ]);
  });

  it('names a webinar wait of an undeclared webinar', () => {
    expect(problems(funnel([invite, waitUntil('hour-before', { webinar: 'launch', offset: '-1h' }), reminder]))).toEqual([
      "funnels/t.ts: t/hour-before: webinar 'launch' is not declared in this funnel — declare it: webinars: [{ id: 'launch', title, startsAt or schedule, joinUrl }]",
    ]);
  });

  it("refuses a form whose thankYouPage is not a page, or that asks for neither email nor phone", () => {
    expect(problems(funnel(undefined, { form: { title: 'F', fields: [{ name: 'email', label: 'E' }], thankYouPage: 'thank' } }))).toEqual([
      "funnels/t.ts: t/form: the form's thankYouPage 'thank' is not a page of this funnel — did you mean 'thanks'?",
    ]);
    expect(problems(funnel(undefined, { form: { title: 'F', fields: [{ name: 'name', label: 'Имя' }], thankYouPage: 'thanks' } }))).toEqual([
      "funnels/t.ts: t/form: the form asks for neither email nor phone — add a field { name: 'email' } or { name: 'phone' } so the contact can be reached",
    ]);
    expect(problems(funnel(undefined, { form: { title: 'F', fields: [{ name: 'phone', label: 'Телефон' }], thankYouPage: 'thanks' } }))).toEqual([]);
  });

  it('refuses a duplicate page id and a page id that is also a step id', () => {
    const page = { id: 'thanks', title: 'Ещё', html: '<p>x</p>' };
    expect(problems(funnel(undefined, { pages: [page, page] }))).toEqual([
      "funnels/t.ts: t/pages: page id 'thanks' is used more than once — give every page its own id",
    ]);
    expect(problems(funnel(undefined, { pages: [page, { id: 'reminder', title: 'R', html: '<p>r</p>' }] }))).toEqual([
      "funnels/t.ts: t/pages: page id 'reminder' is also a step id — pages are touches in the stats: give the page an id no step uses",
    ]);
  });

  it('refuses an empty send window but accepts one that wraps midnight', () => {
    expect(problems(funnel(undefined, { policy: { sendWindow: { from: '10:00', to: '10:00' } } }))).toEqual([
      "funnels/t.ts: t/policy: the send window 10:00–10:00 is empty — give it a length, e.g. sendWindow: { from: '09:00', to: '21:00' }",
    ]);
    expect(problems(funnel(undefined, { policy: { sendWindow: { from: '22:00', to: '02:00' }, priority: 5 } }))).toEqual([]);
  });

  it('suggests webinar.title for {{ webinar.titel }}, in a fallback too', () => {
    const typo = webinarInvite('invite', { webinar: 'masterclass', via: 'email', subject: '{{ webinar.titel }}', text: 'T', fallback: [asSms('{{ webinar.titel }}')] });
    expect(problems(funnel([typo, reminder]))).toEqual([
      'funnels/t.ts: t/invite: subject uses {{ webinar.titel }}, which is not a known variable — did you mean {{ webinar.title }}?',
      'funnels/t.ts: t/invite: fallback[0] (sms) text uses {{ webinar.titel }}, which is not a known variable — did you mean {{ webinar.title }}?',
    ]);
  });

  it('refuses a Telegram button id longer than 40 characters (it must fit the callback data)', () => {
    const long = 'b'.repeat(41);
    const result = problems(funnel([telegram('tg', { text: 'x', buttons: [{ id: long, text: 'Да' }] })]));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^funnels\/t\.ts: t\/tg: /);
    expect(result[0]).toContain('40 characters');
    expect(problems(funnel([telegram('tg', { text: 'x', buttons: [{ id: 'b'.repeat(40), text: 'Да' }] })]))).toEqual([]);
  });

  it('accepts a numeric range on an event property and refuses an empty one', () => {
    const watched = (where: Parameters<typeof when.event>[1]) =>
      funnel([invite, branch('watched', { if: when.event('webinar.attended', where), then: [reminder] })]);
    expect(problems(watched({ minutes: { gte: 30 } }))).toEqual([]);
    expect(problems(watched({ minutes: { gt: 10, lte: 90 }, webinarId: 'masterclass' }))).toEqual([]);
    const empty = problems(watched({ minutes: {} as never }));
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatch(/^funnels\/t\.ts: t\/watched: .*a range needs gt, gte, lt or lte/);
  });
});
