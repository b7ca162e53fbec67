import type { AskStep, Plan, SplitStep } from '../dsl/plan';
import { askChoices } from '../activities/ask-content';
import { touchesOf, walkSteps } from '../dsl/plan';
import { knownEvents } from '../dsl/check-rules';
import { closest } from '../dsl/closest';
import { formatDuration } from '../dsl/duration';
import type { ParsedPersona, SimAction, SimPersona } from './personas';

/** A persona-file problem at a path inside the file (`[2, 'does', 0, 'after']`), before it is given a line. */
export interface PathProblem {
  path: Array<string | number>;
  message: string;
}

const CHANNELS = ['email', 'sms', 'telegram'];

const didYouMean = (name: string, candidates: string[]) => {
  const near = closest(name, candidates);
  return near ? ` — did you mean '${near}'?` : candidates.length > 0 ? ` — known: ${candidates.join(', ')}` : '';
};

/** How an action reads in the output. */
function label(a: { after?: string | undefined; wait?: number | undefined; at?: number | undefined; event: string }): string {
  const delay = (ms: number | undefined) => (ms ? ` + ${formatDuration(ms)}` : '');
  return a.after !== undefined ? `after ${a.after}${delay(a.wait)}: ${a.event}` : `at ${a.at ? formatDuration(a.at) : '0'}: ${a.event}`;
}

/**
 * The event a persona's answer to an ask is — a press of the option or number (`<ask>.clicked {button}`), or a reply
 * (`<ask>.replied {text}`) for a free-text ask — or why the ask does not take it.
 */
function answerEvent(ask: AskStep, answer: string | number): { event: string; properties: Record<string, unknown>; shown: string } | { problem: string } {
  const choices = askChoices(ask);
  const id = String(answer);
  const choice = choices.find((c) => c.id === id);
  if (choice) return { event: `${ask.id}.clicked`, properties: { button: choice.id }, shown: ask.scale ? id : `${id} (${choice.text})` };
  if (ask.freeText === true && typeof answer === 'string') return { event: `${ask.id}.replied`, properties: { text: answer }, shown: JSON.stringify(answer) };
  const offers = ask.scale ? `a number from ${ask.scale.from} to ${ask.scale.to}` : choices.length > 0 ? `one of its options: ${choices.map((c) => c.id).join(', ')}` : 'free text';
  return { problem: `ask '${ask.id}' does not take the answer ${JSON.stringify(answer)} — give ${offers}${ask.freeText === true && choices.length > 0 ? ', or free text' : ''}` };
}

/**
 * Checks a parsed personas file against the funnel (touch ids in `after`, events the funnel knows, split and variant
 * ids, what special events need) and turns it into simulator personas; every problem is listed with its path.
 */
export function resolvePersonas(plan: Plan, file: Array<ParsedPersona | null>, where: (path: Array<string | number>) => string | undefined = () => undefined): { personas: SimPersona[]; problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const touches = touchesOf(plan.steps);
  const touchIds = touches.map((t) => t.id);
  const pageIds = (plan.pages ?? []).map((p) => p.id);
  const splits = [...walkSteps(plan.steps)].filter((s): s is SplitStep => s.type === 'split');
  const events = knownEvents(plan);
  const webinars = (plan.webinars ?? []).map((w) => w.id);
  const names = new Map<string, number>();
  const identities = new Map<string, number>();

  const personas = file.flatMap((p, i): SimPersona[] => {
    if (p === null) return [];
    const earlier = names.get(p.name);
    if (earlier !== undefined) problems.push({ path: [i, 'name'], message: `persona name '${p.name}' is already used by persona ${earlier + 1} — give every persona its own name` });
    names.set(p.name, i);
    for (const key of ['externalId', 'email', 'phone'] as const) {
      const value = p.contact?.[key];
      if (value === undefined) continue;
      const id = `${key}:${key === 'email' ? value.toLowerCase() : value}`;
      const other = identities.get(id);
      if (other !== undefined && other !== i) problems.push({ path: [i, 'contact', key], message: `${key} ${value} is also persona '${file[other]?.name}''s — every persona is its own contact, give it its own ${key}` });
      identities.set(id, i);
    }
    for (const [splitId, variantId] of Object.entries(p.variants ?? {})) {
      const split = splits.find((s) => s.id === splitId);
      if (!split) {
        problems.push({ path: [i, 'variants', splitId], message: `'${splitId}' is not a split of ${plan.id}${splits.length === 0 ? ' (it has none)' : didYouMean(splitId, splits.map((s) => s.id))}` });
        continue;
      }
      const ids = split.variants.map((v) => v.id);
      if (!ids.includes(variantId)) problems.push({ path: [i, 'variants', splitId], message: `split '${splitId}' has no variant '${variantId}' — its variants: ${ids.join(', ')}` });
    }
    const actions = (p.does ?? []).flatMap((given, k): SimAction[] => {
      if (given === null) return [];
      const at = (field: string) => [i, 'does', k, field];
      let a = { ...given, event: given.event ?? '' };
      let shownAnswer: string | undefined;
      if (given.answer !== undefined && given.after !== undefined) {
        const ask = touches.find((t): t is AskStep => t.id === given.after && t.type === 'ask');
        if (!ask) {
          const asks = touches.filter((t) => t.type === 'ask').map((t) => t.id);
          problems.push({ path: at('after'), message: `'${given.after}' is not an ask of ${plan.id}, so nothing takes the answer${asks.length === 0 ? ' (it has no ask)' : didYouMean(given.after, asks)}` });
          return [];
        }
        const found = answerEvent(ask, given.answer);
        if ('problem' in found) {
          problems.push({ path: at('answer'), message: found.problem });
          return [];
        }
        a = { ...a, event: found.event, properties: { ...found.properties, ...given.properties } };
        shownAnswer = found.shown;
      }
      const props = a.properties ?? {};
      if (a.after !== undefined && !touchIds.includes(a.after)) {
        problems.push({
          path: at('after'),
          message: pageIds.includes(a.after)
            ? `'${a.after}' is a page: pages are not sent, they are visited — use at: with the event ${a.after}.viewed, or after: the touch that links to it`
            : `'${a.after}' is not a touch of ${plan.id}${didYouMean(a.after, touchIds)}`,
        });
      }
      if (!events.has(a.event)) {
        const near = closest(a.event, events);
        problems.push({
          path: at('event'),
          message: `event '${a.event}' is not known to ${plan.id}${near ? ` — did you mean '${near}'?` : ` — use the goal (${plan.goal.event}), a touch event like '${touchIds[0] ?? '<touch>'}.clicked', or declare it in the funnel's events`}`,
        });
      }
      if (a.event === 'contact.unsubscribed') {
        const list = props.channels ?? (props.channel === undefined ? undefined : [props.channel]);
        if (list !== undefined && (!Array.isArray(list) || list.length === 0 || list.some((c) => !CHANNELS.includes(c as string)))) {
          problems.push({ path: at('properties'), message: `contact.unsubscribed takes channel: email, sms or telegram (or channels: [..]), not ${JSON.stringify(props.channel ?? props.channels)}` });
        }
      }
      if (a.event === 'webinar.attended' || a.event === 'webinar.missed') {
        if (webinars.length === 0) problems.push({ path: at('event'), message: `${plan.id} has no webinar to attend or miss` });
        else if (props.webinarId !== undefined && !webinars.includes(props.webinarId as string)) {
          problems.push({ path: at('properties'), message: `webinarId '${String(props.webinarId)}' is not a webinar of ${plan.id}${didYouMean(String(props.webinarId), webinars)}` });
        } else if (props.webinarId === undefined && webinars.length > 1) {
          problems.push({ path: at('properties'), message: `${plan.id} has ${webinars.length} webinars: say which one with properties: { webinarId: ${webinars.join(' | ')} }` });
        }
        if (props.minutes !== undefined && (typeof props.minutes !== 'number' || props.minutes < 0)) {
          problems.push({ path: at('properties'), message: 'minutes is the number of minutes watched, e.g. { minutes: 50 }' });
        }
      }
      if (a.event === 'telegram.blocked' && p.contact && p.contact.telegramChatId === undefined) {
        problems.push({ path: at('event'), message: 'telegram.blocked needs a bot chat to block: give the contact a telegramChatId' });
      }
      const w = where(at(a.after !== undefined ? 'after' : 'at'));
      return [{
        index: k, anchor: a.after !== undefined ? 'touch' : 'enrollment', ...(a.after !== undefined && { touchId: a.after }),
        delayMs: (a.after !== undefined ? a.wait : a.at) ?? 0, event: a.event, properties: props,
        ...(a.value !== undefined && { value: a.value }),
        label: shownAnswer !== undefined ? label({ ...a, event: `answers ${shownAnswer}` }) : label(a), ...(w !== undefined && { where: w }),
      }];
    });
    return p.contact ? [{ name: p.name, contact: p.contact, variants: p.variants ?? {}, actions }] : [];
  });
  return { personas, problems };
}
