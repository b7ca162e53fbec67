import { closest } from './closest';
import { isTimeZone } from '../time/zones';
import { allPlanSteps, childLists, planTouches, touchesOf, walkSteps } from './plan';
import type { Condition, Plan, Step } from './plan';
import type { Problem } from './problem';
import { MESSAGE_TOUCH_EVENT_SUFFIXES, PAGE_TOUCH_EVENT_SUFFIX } from '../../workflows/touch-events';


/** Events the engine itself emits, known to every funnel. */
export const SYSTEM_EVENTS = [
  'telegram.subscribed', 'telegram.blocked', 'webinar.registered', 'webinar.attended', 'webinar.missed', 'webinar.moved',
  'form.submitted', 'contact.unsubscribed', 'sms.received', 'push.subscribed', 'push.expired',
  'vk.subscribed', 'vk.blocked', 'vk.allowed', 'vk.denied',
] as const;

function* conditionsIn(condition: Condition): Generator<Condition> {
  yield condition;
  if (condition.kind === 'all' || condition.kind === 'any') for (const c of condition.conditions) yield* conditionsIn(c);
  if (condition.kind === 'not') yield* conditionsIn(condition.condition);
}

/** Step ids are unique across the plan (its subscriptions' steps included); variant ids are unique within their split. */
export function idProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const step of allPlanSteps(plan)) {
    if (seen.has(step.id) && !reported.has(step.id)) {
      reported.add(step.id);
      problems.push({ funnel: plan.id, step: step.id, message: `step id '${step.id}' is used more than once`, fix: 'give every step its own id — deliveries, stats and migrations find steps by id' });
    }
    seen.add(step.id);
    if (step.type !== 'split') continue;
    const variants = new Set<string>();
    for (const v of step.variants) {
      if (variants.has(v.id)) problems.push({ funnel: plan.id, step: step.id, message: `variant id '${v.id}' is used twice in this split`, fix: 'give every variant of the split its own id' });
      variants.add(v.id);
    }
  }
  return problems;
}

/** Every event the funnel can see: entry, goal, declared events and `<touchId>.<status>` of its touches. */
export function knownEvents(plan: Plan): Set<string> {
  const known = new Set<string>([plan.goal.event, ...plan.events, ...SYSTEM_EVENTS]);
  if (plan.entry !== null) known.add(plan.entry);
  for (const touch of touchesOf(plan.steps)) for (const status of MESSAGE_TOUCH_EVENT_SUFFIXES) known.add(`${touch.id}.${status}`);
  for (const page of plan.pages ?? []) known.add(`${page.id}.${PAGE_TOUCH_EVENT_SUFFIX}`);
  for (const step of walkSteps(plan.steps)) if (step.type === 'ask') known.add(`${step.id}.answered`);
  return known;
}

/** Touch conditions name email steps of this funnel; waited-for and tested events are known. */
export function referenceProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const touchIds = planTouches(plan).map((t) => t.id);
  const events = knownEvents(plan);
  const checkEvent = (step: Step, name: string) => {
    if (events.has(name)) return;
    const near = closest(name, events);
    problems.push({
      funnel: plan.id, step: step.id, message: `event '${name}' is not known to this funnel`,
      fix: near ? `did you mean '${near}'? If not, declare it: events: ['${name}']` : `declare it: events: ['${name}'], or use a touch event like '<touchId>.clicked'`,
    });
  };
  for (const step of walkSteps(plan.steps)) {
    if (step.type === 'waitFor') for (const e of step.events) checkEvent(step, e.name);
    const decides = step.type === 'branch' ? step.if : step.type === 'ask' ? step.if : undefined;
    if (decides === undefined) continue;
    for (const c of conditionsIn(decides)) {
      if (c.kind === 'event') checkEvent(step, c.name);
      if (c.kind !== 'touch' || touchIds.includes(c.touchId)) continue;
      const near = closest(c.touchId, touchIds);
      problems.push({
        funnel: plan.id, step: step.id, message: `the condition asks about touch '${c.touchId}', which is not a touch or page of this funnel`,
        fix: near ? `did you mean '${near}'?` : `use the id of a touch step or page${touchIds.length ? `: ${touchIds.join(', ')}` : ''}`,
      });
    }
  }
  return problems;
}

/** True when every path through the step ends the enrollment. */
function alwaysExits(step: Step): boolean {
  if (step.type === 'exit') return true;
  const lists = childLists(step);
  return lists.length > 0 && lists.every((l) => l.steps.some(alwaysExits));
}

/** No step sits after an exit (or after a step whose every path exits) in the same list. */
export function reachabilityProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const visit = (steps: Step[]) => {
    let ender: Step | undefined;
    for (const step of steps) {
      if (ender) {
        const after = ender.type === 'exit' ? `exit '${ender.id}'` : `'${ender.id}', where every path exits`;
        problems.push({ funnel: plan.id, step: step.id, message: `this step comes after ${after}, so it never runs`, fix: 'move it before the exit or remove it' });
        break;
      }
      for (const list of childLists(step)) visit(list.steps);
      if (alwaysExits(step)) ender = step;
    }
  };
  visit(plan.steps);
  return problems;
}

/** The funnel's zone is one Intl knows (IANA names such as 'Europe/Moscow'). */
export function timezoneProblems(plan: Plan): Problem[] {
  if (isTimeZone(plan.timezone)) return [];
  const zones = Intl.supportedValuesOf('timeZone');
  // 'Moscow' or 'moscow' means Europe/Moscow; otherwise look for a typo.
  const tail = plan.timezone.toLowerCase();
  const near = zones.find((z) => z.toLowerCase().endsWith(`/${tail}`)) ?? closest(plan.timezone, zones);
  return [{ funnel: plan.id, area: 'timezone', message: `'${plan.timezone}' is not a time zone`, fix: near ? `did you mean '${near}'?` : "use an IANA zone like 'Europe/Moscow'" }];
}

/** A waitUntil lists each weekday once. */
export function weekdayProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  for (const step of walkSteps(plan.steps)) {
    if (step.type !== 'waitUntil' || !step.weekdays) continue;
    const seen = new Set<number>();
    for (const day of step.weekdays) {
      if (seen.has(day)) problems.push({ funnel: plan.id, step: step.id, message: `weekday ${day} is listed twice`, fix: 'list each weekday once' });
      seen.add(day);
    }
  }
  return problems;
}

/** A per-key re-entry reads the key from the entry event, so the funnel needs one. */
export function reentryProblems(plan: Plan): Problem[] {
  if (typeof plan.reentry !== 'object' || plan.reentry === null || !('key' in plan.reentry) || plan.entry !== null) return [];
  return [{
    funnel: plan.id, area: 'reentry', message: `reentry: { key: '${plan.reentry.key}' } reads the key from the entry event, but the funnel has no entry event`,
    fix: "set entry: '<event>' whose properties carry the key, or use reentry: 'never' or a pause such as '30d'",
  }];
}
