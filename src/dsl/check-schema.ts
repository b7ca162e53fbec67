import type { core } from 'zod';
import { LOGGED_TOUCH_KINDS } from '../db/schema';
import type { Problem } from './problem';

type Issue = core.$ZodIssue;
type Said = { message: string; fix: string };

const DURATION_FIX = "write it like '30m', '2h', '3d' or '1d12h'";
const EVENT_FIX = "use letters, digits, '.', '_', ':' and '-', like 'order.paid'";
const STEP_FIX = 'build steps with email(), sms(), telegram(), vk(), push(), webinarInvite(), ask(), nps(), wait(), waitUntil(), waitFor(), task(), branch(), split(), setAttribute(), tag(), webhook(), notify() or exit()';
const LIST_KEYS = new Set(['steps', 'then', 'else', 'variants', 'timeout']);

function isRecord(x: unknown): x is Record<PropertyKey, unknown> {
  return typeof x === 'object' && x !== null;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : String(value);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const seg of path) node = isRecord(node) ? node[seg] : undefined;
  return node;
}

/** Where an issue is: the id of the nearest step (or variant) on its path, else the plan field. */
function locate(raw: unknown, path: readonly PropertyKey[]): { step: string } | { area: string } {
  if (path[0] !== 'steps' || path.length < 2) return { area: String(path[0] ?? 'plan') };
  let node = raw;
  let where: string | undefined;
  let parent: PropertyKey | undefined;
  for (const seg of path) {
    node = isRecord(node) ? node[seg] : undefined;
    if (typeof seg === 'number' && LIST_KEYS.has(String(parent))) {
      const id = isRecord(node) && typeof node.id === 'string' && node.id !== '' ? node.id : undefined;
      if (id !== undefined) where = parent === 'variants' && where !== undefined ? `${where}.${id}` : id;
      else where = `${where === undefined ? '' : `${where}.`}${String(parent)}[${seg}]`;
    }
    parent = seg;
  }
  return where === undefined ? { area: 'steps' } : { step: where };
}

function durationIssue(field: string, value: unknown): Said {
  if (value !== undefined) return { message: `${quote(value)} is not a duration`, fix: DURATION_FIX };
  if (field === 'timeoutMs') return { message: 'waitFor has no timeout', fix: "add timeout: '3d' so the customer never waits forever" };
  if (field === 'withinMs') return { message: 'the goal has no window', fix: "add within: '30d' to the goal" };
  return { message: 'wait has no duration', fix: "write it like wait('pause', '2d')" };
}

function idIssue(path: readonly PropertyKey[], value: unknown): Said {
  if (path.length === 1) {
    return value === undefined
      ? { message: 'the funnel has no id', fix: "add id: 'my-funnel'" }
      : { message: `${quote(value)} is not a valid funnel id`, fix: "use lowercase letters, digits and '-', like 'course-welcome'" };
  }
  return value === undefined || value === ''
    ? { message: 'this step has no id', fix: "give it an id as the first argument, like email('welcome', { … })" }
    : { message: `${quote(value)} is not a valid id`, fix: "use letters, digits, '-' and '_', like 'lesson-1'" };
}

function eventIssue(what: string, value: unknown): Said {
  return value === undefined || value === ''
    ? { message: `${what} has no event name`, fix: "name the event, like 'order.paid'" }
    : { message: `${quote(value)} is not a valid event name`, fix: EVENT_FIX };
}

function tooSmall(field: string, path: readonly PropertyKey[], issue: Issue): Said | undefined {
  if (issue.code !== 'too_small') return undefined;
  switch (field) {
    case 'steps':
      if (path.length === 1) return { message: 'the funnel has no steps', fix: "add at least one step, like email('welcome', { … })" };
      return undefined;
    case 'events': return { message: 'waitFor has no event', fix: "add event: 'lesson-1.clicked'" };
    case 'variants': return { message: 'a split needs at least two variants', fix: 'add another variant — an empty steps: [] makes a holdout' };
    case 'weekdays': return { message: 'weekdays is empty', fix: "list at least one day, like weekdays: ['mon'], or drop it" };
    case 'conditions': return { message: 'when.all() / when.any() got no conditions', fix: 'pass one or more conditions' };
    case 'subject': return { message: 'the email has no subject', fix: "add subject: '…'" };
    case 'name': return path.length === 1 ? { message: 'the funnel has no name', fix: "add name: 'Welcome series'" } : undefined;
    default: return undefined;
  }
}

/** Says one zod issue in a marketer's words (message + fix), falling back to zod's own message. */
function say(issue: Issue, path: readonly PropertyKey[], value: unknown): Said {
  const field = String([...path].reverse().find((s) => typeof s === 'string') ?? 'plan');
  const last = path[path.length - 1];
  const small = tooSmall(field, path, issue);
  if (small) return small;
  if (issue.code === 'too_big' && field === 'id') return { message: `${quote(value)} is too long`, fix: issue.message };
  if (issue.code === 'custom') {
    if (issue.message.includes('html or text')) return { message: 'the email has no body', fix: "add html: '…' or text: '…'" };
    if (issue.message.includes('time or weekdays')) return { message: 'waitUntil has neither time nor weekdays', fix: "add time: '10:00' or weekdays: ['mon']" };
    if (issue.message.includes('not both')) return { message: issue.message, fix: 'make two steps: one waitUntil for the webinar, one for the local time' };
    if (/^an (email )?ask |option ids|reply condition|are not option ids/.test(issue.message)) return { message: issue.message, fix: 'see ask() in the README: options, a scale or freeText; email asks need subject and answerUrl' };
    if (issue.message.includes('late is an option')) return { message: 'late only applies to a webinar wait', fix: "drop late, or wait for a webinar: waitUntil('hour-before', { webinar: 'main', offset: '-1h', late: 'send' })" };
    if (issue.message.includes('a date wait') || issue.message.startsWith('else is a branch')) return { message: issue.message, fix: "wait for a date like this: waitUntil('day-before', { date: 'contact.attributes.appointmentAt', offset: '-1d', time: '10:00', else: [ … ] })" };
  }
  if (typeof last === 'number' && field === 'variants') return { message: `${quote(value)} is not a variant`, fix: "write it as { id: 'a', steps: [ … ] }" };
  if (typeof last === 'number' && LIST_KEYS.has(field)) return { message: `${quote(value)} is not a step`, fix: STEP_FIX };
  switch (field) {
    case 'ms': case 'timeoutMs': case 'withinMs': return durationIssue(field, value);
    case 'id': return idIssue(path, value);
    case 'type': return { message: value === undefined ? 'this is not a step' : `${quote(value)} is not a step type`, fix: STEP_FIX };
    case 'kind':
      if (!path.includes('if')) return { message: `${quote(value)} is not a kind of staff touch`, fix: `a task asks for one of ${LOGGED_TOUCH_KINDS.join(', ')}` };
      return { message: value === undefined ? 'this is not a condition' : `${quote(value)} is not a condition kind`, fix: 'build conditions with when.attribute(), when.event(), when.clicked(), when.replyMatches(), when.answerScore(), when.quizScore(), when.all(), when.any() or when.not()' };
    case 'entry': return eventIssue('entry', value);
    case 'event': return eventIssue('the goal', value);
    case 'events':
      if (path.length === 2) return eventIssue('events', value);
      return { message: `${quote(value)} is not an event`, fix: "write it as 'name' or { name: 'name', where: { … } }" };
    case 'name':
      if (path.length === 1) return { message: 'the funnel name must be text', fix: "add name: 'Welcome series'" };
      return eventIssue('the event', value);
    case 'subject': return { message: 'the email has no subject', fix: "add subject: '…'" };
    case 'html': case 'text': case 'preheader': return { message: `${field} must be text`, fix: 'write it as a string (a Liquid template)' };
    case 'time': return { message: `${quote(value)} is not a time of day`, fix: "write it as 'HH:MM', 24-hour, like '10:00'" };
    case 'weekdays': return { message: `${quote(value)} is not a weekday`, fix: "use 1–7 (Monday = 1) or 'mon' … 'sun'" };
    case 'weight': return { message: `weight ${quote(value)} is not positive`, fix: 'give every variant a weight above 0, like weight: 1' };
    case 'timezone': return { message: `${quote(value)} is not a time zone`, fix: "write it like 'Europe/Moscow'" };
    case 'exit': return { message: `goal.exit must be true or false, not ${quote(value)}`, fix: 'write exit: true or exit: false' };
    case 'op': return { message: `${quote(value)} is not a comparison`, fix: 'use eq, neq, gt, gte, lt, lte, exists or in' };
    case 'status': return { message: `${quote(value)} is not a touch status`, fix: 'use delivered, opened, clicked, replied or failed' };
    case 'touchId': return { message: `${quote(value)} is not a touch id`, fix: "pass the id of an email step, like when.clicked('lesson-1')" };
    case 'key': return { message: 'the attribute condition has no key', fix: "name the attribute, like when.attribute('plan', 'eq', 'pro')" };
    case 'attributes': return { message: `${quote(value)} is not an attribute name`, fix: "list attribute names as text, like attributes: ['course']" };
    case 'late': return { message: `${quote(value)} is not a late policy`, fix: "write late: 'skip' (the default: a passed reminder is skipped) or late: 'send'" };
    case 'draft': return { message: `draft must be true or false, not ${quote(value)}`, fix: 'write draft: true while the funnel is being tried, and remove it to launch' };
    case 'goal': return { message: 'the funnel has no goal', fix: "add goal: { event: 'order.paid', within: '30d' }" };
    default: return { message: `${path.map(String).join('.')}: ${issue.message}`, fix: 'compare it with the example in funnels/course-welcome.ts' };
  }
}

/** Turns zod issues into problems that name the nearest step and say how to fix them (deduplicated). */
export function schemaProblems(raw: unknown, funnel: string, issues: readonly Issue[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const said = say(issue, path, valueAt(raw, path));
    const problem: Problem = { funnel, ...locate(raw, path), ...said };
    const key = `${problem.step ?? problem.area}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}
