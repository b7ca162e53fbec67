import { Liquid } from 'liquidjs';
import { closest } from './closest';
import type { Plan, TouchStep } from './plan';
import { touchesOf } from './plan';
import type { Problem } from './problem';

type Segment = string | number | Segment[];

/** Fields every contact has, as templates see them (`contact.<field>`). */
export const CONTACT_FIELDS = ['id', 'externalId', 'email', 'phone', 'name', 'firstName', 'timezone', 'locale'] as const;
const EVENT_FIELDS = ['name', 'value', 'occurredAt', 'properties'];
/** What `{{ webinar.* }}` offers (in invites, and as `webinars.<id>.*` everywhere). */
export const WEBINAR_FIELDS = ['title', 'startsAt', 'date', 'time', 'weekday', 'timezone', 'joinUrl', 'replayUrl', 'registerUrl', 'calendar'];
/** What `{{ links.* }}` offers: the Telegram deep link, the unsubscribe page, the funnel's pages. */
export const LINK_FIELDS = ['telegram', 'unsubscribe', 'pages'];
const ROOTS: Record<string, readonly string[]> = {
  event: EVENT_FIELDS, funnel: ['id', 'name'], touch: ['id'], webinar: WEBINAR_FIELDS, links: LINK_FIELDS,
};
const TEMPLATE_FIELDS = ['subject', 'preheader', 'html', 'text'] as const;
const SYNTAX_FIX = 'fix the template: every {{ needs a }}, every {% if %} an {% endif %}, every {% for %} an {% endfor %}';

function pathText(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function knownPaths(attributes: readonly string[]): string[] {
  return [
    ...CONTACT_FIELDS.map((f) => `contact.${f}`),
    ...attributes.map((a) => `contact.attributes.${a}`),
    ...EVENT_FIELDS.map((f) => `event.${f}`),
    'funnel.id', 'funnel.name', 'touch.id',
    ...WEBINAR_FIELDS.map((f) => `webinar.${f}`), ...LINK_FIELDS.map((f) => `links.${f}`),
  ];
}

/** Why a variable is not available to templates of this plan, or undefined when it is. */
function unknownVariable(segments: readonly (string | number)[], attributes: readonly string[]): { message: string; fix: string } | undefined {
  const [root, first, second] = segments;
  if (root === 'contact') {
    if (first === undefined || (CONTACT_FIELDS as readonly unknown[]).includes(first)) return undefined;
    if (first === 'attributes') {
      if (typeof second !== 'string' || attributes.includes(second)) return undefined;
      const near = closest(second, attributes);
      return {
        message: `uses {{ contact.attributes.${second} }}, but '${second}' is not a declared attribute`,
        fix: near ? `did you mean contact.attributes.${near}? If not, declare it: attributes: ['${second}']` : `declare it: attributes: ['${second}']`,
      };
    }
  } else if (root === 'webinars') {
    if (first === undefined || second === undefined || WEBINAR_FIELDS.includes(String(second))) return undefined;
  } else if (typeof root === 'string' && root in ROOTS) {
    if (first === undefined || ROOTS[root]?.includes(String(first))) return undefined;
  }
  const text = pathText(segments);
  const near = closest(text, knownPaths(attributes));
  return {
    message: `uses {{ ${text} }}, which is not a known variable`,
    fix: near ? `did you mean {{ ${near} }}?` : 'use contact.*, contact.attributes.<declared>, event.*, funnel.*, touch.id, links.*, webinar.* or webinars.<id>.*',
  };
}

/** The leading plain part of a variable path (`foo.bar[baz.qux]` → `foo.bar`). */
function plainPrefix(segments: readonly Segment[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const s of segments) {
    if (Array.isArray(s)) break;
    out.push(s);
  }
  return out;
}

/** Every Liquid template of a touch (its fallbacks' too), with the field name to quote. */
function templateSources(touch: TouchStep): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (prefix: string, content: object) => {
    for (const field of TEMPLATE_FIELDS) {
      const value = (content as Record<string, unknown>)[field];
      if (typeof value === 'string') out.push([`${prefix}${field}`, value]);
    }
  };
  add('', touch);
  touch.fallback?.forEach((f, i) => add(`fallback[${i}] (${f.channel}) `, f));
  return out;
}

/** Problems in the Liquid templates of every touch: syntax errors and variables the funnel cannot provide. */
export function templateProblems(plan: Plan): Problem[] {
  const liquid = new Liquid();
  const problems: Problem[] = [];
  const sources: Array<[string, string, string]> = [];
  for (const touch of touchesOf(plan.steps)) for (const [field, source] of templateSources(touch)) sources.push([touch.id, field, source]);
  for (const page of plan.pages ?? []) sources.push([page.id, 'html', page.html], [page.id, 'title', page.title]);
  for (const [stepId, field, source] of sources) {
    {
      let variables: Segment[][];
      try {
        // Globals only: variables the template assigns, captures or loops over are its own.
        variables = liquid.globalVariableSegmentsSync(liquid.parse(source)) as Segment[][];
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        problems.push({ funnel: plan.id, step: stepId, message: `${field} is not valid Liquid: ${reason}`, fix: SYNTAX_FIX });
        continue;
      }
      const seen = new Set<string>();
      for (const variable of variables) {
        const segments = plainPrefix(variable);
        const key = pathText(segments);
        if (seen.has(key)) continue;
        seen.add(key);
        const wrong = unknownVariable(segments, plan.attributes);
        if (wrong) problems.push({ funnel: plan.id, step: stepId, message: `${field} ${wrong.message}`, fix: wrong.fix });
      }
    }
  }
  return problems;
}
