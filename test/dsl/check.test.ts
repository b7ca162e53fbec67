import { describe, expect, it } from 'vitest';
import { formatProblem, validateFunnel } from '../../src/dsl/check';
import { when } from '../../src/dsl/conditions';
import { defineFunnel, type FunnelInput } from '../../src/dsl/define';
import type { Step } from '../../src/dsl/plan';
import { branch, email, exit, split, wait, waitFor, waitUntil } from '../../src/dsl/steps';
import { planVersion } from '../../src/dsl/version';

const FILE = 'funnels/t.ts';
const welcome = email('welcome', { subject: 'Привет, {{ contact.firstName }}', html: '<p>Hi</p>' });

/** A valid funnel with the given steps and overrides. */
function funnel(steps: Step[], overrides: Partial<FunnelInput> = {}) {
  return defineFunnel({ id: 't', name: 'Test', entry: 'lead.created', goal: { event: 'order.paid', within: '30d' }, steps, ...overrides });
}

/** The formatted problems of a funnel. */
function problems(def: unknown): string[] {
  return validateFunnel(def).problems.map((p) => formatProblem(FILE, p));
}

describe('check', () => {
  it('accepts a valid funnel and returns the parsed plan with defaults', () => {
    const result = validateFunnel(funnel([welcome, wait('pause', '1d'), exit('done')]));
    expect(result.problems).toEqual([]);
    expect(result.plan?.timezone).toBe('Europe/Moscow');
    expect(result.plan?.goal).toEqual({ event: 'order.paid', withinMs: 2_592_000_000, exit: true });
    expect(result.plan?.attributes).toEqual([]);
  });

  it('quotes an unparseable duration back', () => {
    expect(problems(funnel([welcome, wait('pause', 'bogus')]))).toEqual([
      "funnels/t.ts: t/pause: 'bogus' is not a duration — write it like '30m', '2h', '3d' or '1d12h'",
    ]);
    expect(problems(funnel([welcome, wait('pause', NaN)]))).toEqual([
      "funnels/t.ts: t/pause: NaN is not a duration — write it like '30m', '2h', '3d' or '1d12h'",
    ]);
  });

  it('reports a bad goal window under goal', () => {
    expect(problems(funnel([welcome], { goal: { event: 'order.paid', within: 'soon' } }))).toEqual([
      "funnels/t.ts: t/goal: 'soon' is not a duration — write it like '30m', '2h', '3d' or '1d12h'",
    ]);
  });

  it('insists that every waitFor has a timeout', () => {
    const ask = waitFor('ask', { event: 'welcome.clicked' } as never);
    expect(problems(funnel([welcome, ask]))).toEqual([
      "funnels/t.ts: t/ask: waitFor has no timeout — add timeout: '3d' so the customer never waits forever",
    ]);
  });

  it('names the nearest step id for issues deep inside branches and splits', () => {
    // 'push' was the unknown type here until push() became a step (issue 14); a carrier pigeon is still unknown.
    const sms = { type: 'pigeon', id: 'sms-1' } as unknown as Step;
    const bodiless = { type: 'email', id: 'b-mail', subject: 'x' } as unknown as Step;
    const def = funnel([
      welcome,
      branch('check', { if: when.opened('welcome'), then: [sms] }),
      split('ab', [{ id: 'a', steps: [] }, { id: 'b', weight: 0, steps: [bodiless] }]),
    ]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/sms-1: 'pigeon' is not a step type — build steps with email(), sms(), telegram(), vk(), push(), webinarInvite(), ask(), nps(), wait(), waitUntil(), waitFor(), task(), branch(), split(), setAttribute(), tag(), webhook(), notify() or exit()",
      'funnels/t.ts: t/ab.b: weight 0 is not positive — give every variant a weight above 0, like weight: 1',
      "funnels/t.ts: t/b-mail: the email has no body — add html: '…' or text: '…'",
    ]);
  });

  it('rejects duplicate step ids anywhere in the plan', () => {
    const def = funnel([welcome, branch('b', { if: when.opened('welcome'), then: [wait('pause', '1d')] }), wait('pause', '2d')]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/pause: step id 'pause' is used more than once — give every step its own id — deliveries, stats and migrations find steps by id",
    ]);
  });

  it('rejects duplicate variant ids within a split', () => {
    const def = funnel([welcome, split('ab', [{ id: 'a', steps: [] }, { id: 'a', steps: [] }])]);
    expect(problems(def)).toEqual(["funnels/t.ts: t/ab: variant id 'a' is used twice in this split — give every variant of the split its own id"]);
  });

  it('requires touch conditions to name a touch or page of the funnel', () => {
    const def = funnel([welcome, branch('clicked', { if: when.not(when.clicked('welcom')), then: [exit('bye')] })]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/clicked: the condition asks about touch 'welcom', which is not a touch or page of this funnel — did you mean 'welcome'?",
    ]);
  });

  it('requires every referenced event to be known, suggesting the closest name', () => {
    const def = funnel([
      welcome,
      waitFor('ask', { event: 'welcome.clikced', timeout: '1d' }),
      branch('attended', { if: when.event('quiz.passed'), then: [exit('bye')] }),
    ]);
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/ask: event 'welcome.clikced' is not known to this funnel — did you mean 'welcome.clicked'? If not, declare it: events: ['welcome.clikced']",
      "funnels/t.ts: t/attended: event 'quiz.passed' is not known to this funnel — declare it: events: ['quiz.passed'], or use a touch event like '<touchId>.clicked'",
    ]);
  });

  it('knows the entry, goal, declared and touch events', () => {
    const def = funnel([
      welcome,
      waitFor('ask', { event: ['lead.created', 'order.paid', 'webinar.attended', 'welcome.sent', 'welcome.replied'], timeout: '1d' }),
    ], { events: ['webinar.attended'] });
    expect(problems(def)).toEqual([]);
  });

  it('rejects unknown Liquid variables, suggesting the closest one', () => {
    const def = funnel([email('hi', { subject: 'Привет, {{ contact.fristName }}', text: 'x' })]);
    expect(problems(def)).toEqual([
      'funnels/t.ts: t/hi: subject uses {{ contact.fristName }}, which is not a known variable — did you mean {{ contact.firstName }}?',
    ]);
  });

  it('asks to declare attributes a template uses', () => {
    const def = funnel([email('hi', { subject: 'x', html: '<p>Тариф: {{ contact.attributes.plan }}</p>' })], { attributes: ['course'] });
    expect(problems(def)).toEqual([
      "funnels/t.ts: t/hi: html uses {{ contact.attributes.plan }}, but 'plan' is not a declared attribute — declare it: attributes: ['plan']",
    ]);
  });

  it('reports Liquid syntax errors', () => {
    const def = funnel([email('hi', { subject: 'x', text: 'Hi {% if contact.name %}{{ contact.name }}' })]);
    expect(problems(def)).toEqual([
      'funnels/t.ts: t/hi: text is not valid Liquid: tag {% if contact.name %} not closed, line:1, col:4 — fix the template: every {{ needs a }}, every {% if %} an {% endif %}, every {% for %} an {% endfor %}',
    ]);
  });

  it('accepts every documented variable and the ones a template defines itself', () => {
    const text = [
      '{{ contact.id }}{{ contact.externalId }}{{ contact.email }}{{ contact.phone }}{{ contact.name }}{{ contact.firstName | default: "друг" }}',
      '{{ contact.timezone }}{{ contact.locale }}{{ contact.attributes.course }}{{ event.name }}{{ event.value }}{{ event.occurredAt }}',
      '{{ event.properties.items[0].title }}{{ funnel.id }}{{ funnel.name }}{{ touch.id }}',
      '{% assign n = contact.name | upcase %}{{ n }}{% capture c %}x{% endcapture %}{{ c }}{% for item in event.properties.items %}{{ item.title }}{{ forloop.index }}{% endfor %}',
    ].join('\n');
    expect(problems(funnel([email('hi', { subject: '{{ funnel.name }}', text })], { attributes: ['course'] }))).toEqual([]);
  });

  it('finds steps that come after an exit', () => {
    const def = funnel([welcome, exit('done'), wait('pause', '1d'), email('never', { subject: 'x', text: 'x' })]);
    expect(problems(def)).toEqual(["funnels/t.ts: t/pause: this step comes after exit 'done', so it never runs — move it before the exit or remove it"]);
  });

  it('finds steps after a branch whose every path exits, but allows empty arms', () => {
    const ends = funnel([welcome, branch('b', { if: when.opened('welcome'), then: [exit('x')], else: [exit('y')] }), wait('pause', '1d')]);
    expect(problems(ends)).toEqual(["funnels/t.ts: t/pause: this step comes after 'b', where every path exits, so it never runs — move it before the exit or remove it"]);
    const open = funnel([welcome, branch('b', { if: when.opened('welcome'), then: [exit('x')] }), split('ab', [{ id: 'a', steps: [] }, { id: 'h', steps: [] }]), wait('pause', '1d')]);
    expect(problems(open)).toEqual([]);
  });

  it('requires an IANA time zone', () => {
    expect(problems(funnel([welcome], { timezone: 'Europe/Moskow' }))).toEqual([
      "funnels/t.ts: t/timezone: 'Europe/Moskow' is not a time zone — did you mean 'Europe/Moscow'?",
    ]);
  });

  it('suggests the full zone name for a bare city', () => {
    expect(problems(funnel([welcome], { timezone: 'Novosibirsk' }))).toEqual([
      "funnels/t.ts: t/timezone: 'Novosibirsk' is not a time zone — did you mean 'Asia/Novosibirsk'?",
    ]);
  });

  it('rejects a weekday listed twice', () => {
    expect(problems(funnel([welcome, waitUntil('monday', { time: '10:00', weekdays: ['mon', 1] })]))).toEqual([
      'funnels/t.ts: t/monday: weekday 1 is listed twice — list each weekday once',
    ]);
  });

  it('reports a bad time of day and an unknown weekday name', () => {
    const step = waitUntil('w', { time: '25:00', weekdays: ['monday', 'mo' as never] });
    expect(problems(funnel([welcome, step]))).toEqual([
      "funnels/t.ts: t/w: '25:00' is not a time of day — write it as 'HH:MM', 24-hour, like '10:00'",
      "funnels/t.ts: t/w: 'mo' is not a weekday — use 1–7 (Monday = 1) or 'mon' … 'sun'",
    ]);
  });

  it('lists several plan-level problems at once without throwing', () => {
    const def = defineFunnel({ id: 'Bad Id', name: '', entry: 'lead created', goal: undefined as never, steps: [] });
    expect(problems(def)).toEqual([
      "funnels/t.ts: Bad Id/id: 'Bad Id' is not a valid funnel id — use lowercase letters, digits and '-', like 'course-welcome'",
      "funnels/t.ts: Bad Id/name: the funnel has no name — add name: 'Welcome series'",
      "funnels/t.ts: Bad Id/entry: 'lead created' is not a valid event name — use letters, digits, '.', '_', ':' and '-', like 'order.paid'",
      "funnels/t.ts: Bad Id/goal: the funnel has no goal — add goal: { event: 'order.paid', within: '30d' }",
      "funnels/t.ts: Bad Id/steps: the funnel has no steps — add at least one step, like email('welcome', { … })",
    ]);
    expect(validateFunnel(42).problems.length).toBeGreaterThan(0);
  });
});

describe('version', () => {
  it('hashes equal plans equally regardless of key order and differently when content changes', () => {
    const plan = validateFunnel(funnel([welcome, wait('pause', '1d')])).plan!;
    const reordered = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan;
    expect(planVersion(plan)).toMatch(/^[0-9a-f]{12}$/);
    expect(planVersion(reordered)).toBe(planVersion(plan));
    const changed = validateFunnel(funnel([welcome, wait('pause', '2d')])).plan!;
    expect(planVersion(changed)).not.toBe(planVersion(plan));
  });
});
