import { Liquid } from 'liquidjs';
import { closest, nearestId } from './closest';
import { askIdsOf as askIdsOfSteps, type Plan } from './plan';
import type { Problem } from './problem';
import { templateSources, type TemplateScope } from './template-sources';

type Segment = string | number | Segment[];
type Said = { message: string; fix: string };

/** Fields every contact has, as templates see them (`contact.<field>`). */
export const CONTACT_FIELDS = ['id', 'externalId', 'email', 'phone', 'name', 'firstName', 'timezone', 'locale'] as const;
const EVENT_FIELDS = ['name', 'value', 'occurredAt', 'properties'];
/** What `{{ webinar.* }}` offers (in invites, and as `webinars.<id>.*` everywhere). */
export const WEBINAR_FIELDS = ['title', 'startsAt', 'date', 'time', 'weekday', 'timezone', 'joinUrl', 'replayUrl', 'registerUrl', 'calendar'];
/** What `{{ links.* }}` offers: the Telegram deep link, the VK ref link, the unsubscribe page, the funnel's pages, the contact's referral link, the asks' answer pages. */
export const LINK_FIELDS = ['telegram', 'vk', 'unsubscribe', 'pages', 'referral', 'asks'];
const ROOTS: Record<string, readonly string[]> = {
  event: EVENT_FIELDS, funnel: ['id', 'name'], touch: ['id'], webinar: WEBINAR_FIELDS, links: LINK_FIELDS, quiz: ['score'],
};
const SYNTAX_FIX = 'fix the template: every {{ needs a }}, every {% if %} an {% endif %}, every {% for %} an {% endfor %}';

const askIdsOf = (plan: Plan): string[] => askIdsOfSteps(plan.steps);

function pathText(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function knownPaths(plan: Plan, scope: TemplateScope): string[] {
  const webinarIds = (plan.webinars ?? []).map((w) => w.id);
  return [
    ...CONTACT_FIELDS.map((f) => `contact.${f}`),
    ...plan.attributes.map((a) => `contact.attributes.${a}`),
    ...EVENT_FIELDS.map((f) => `event.${f}`),
    'funnel.id', 'funnel.name', 'touch.id', 'links.telegram', 'links.vk', 'links.referral', 'quiz.score',
    ...(scope === 'page' ? [] : ['links.unsubscribe']),
    ...(plan.pages ?? []).map((p) => `links.pages.${p.id}`),
    ...askIdsOf(plan).map((id) => `links.asks.${id}`),
    ...(scope === 'invite' ? WEBINAR_FIELDS.map((f) => `webinar.${f}`) : []),
    ...(scope === 'page' ? [] : webinarIds.flatMap((id) => WEBINAR_FIELDS.map((f) => `webinars.${id}.${f}`))),
  ];
}

/** "did you mean" for the nearest known path, else the list of what templates can use. */
function unknown(segments: readonly (string | number)[], plan: Plan, scope: TemplateScope): Said {
  const text = pathText(segments);
  const near = closest(text, knownPaths(plan, scope));
  return {
    message: `uses {{ ${text} }}, which is not a known variable`,
    fix: near ? `did you mean {{ ${near} }}?` : 'use contact.*, contact.attributes.<declared>, event.*, funnel.*, touch.id, links.*, webinar.* or webinars.<id>.*',
  };
}

/** `{{ contact.city }}`: a typo of a contact field, or an attribute written without `attributes.`. */
function contactField(field: string, segments: readonly (string | number)[], plan: Plan, scope: TemplateScope): Said | undefined {
  if ((CONTACT_FIELDS as readonly string[]).includes(field)) return undefined;
  if (closest(field, CONTACT_FIELDS)) return unknown(segments, plan, scope);
  if (plan.attributes.includes(field)) {
    return { message: `uses {{ contact.${field} }}, but '${field}' is an attribute`, fix: `use {{ contact.attributes.${field} }}` };
  }
  return {
    message: `uses {{ contact.${field} }}, but '${field}' is not a contact field`,
    fix: `for your own field, declare attributes: ['${field}'] and use {{ contact.attributes.${field} }}`,
  };
}

/** `{{ webinars.<id>.<field> }}`: a webinar of this funnel, a known field, not on a page. */
function webinarsVariable(segments: readonly (string | number)[], plan: Plan, scope: TemplateScope): Said | undefined {
  const [, id, field] = segments;
  if (scope === 'page') {
    return { message: `uses {{ ${pathText(segments)} }}, but pages are rendered without webinar sessions`, fix: 'put the session\'s date and links into the invite or a reminder; pages know the contact, the funnel and links.*' };
  }
  if (id === undefined) return undefined;
  const ids = (plan.webinars ?? []).map((w) => w.id);
  if (typeof id !== 'string' || !ids.includes(id)) {
    const near = nearestId(String(id), ids);
    const rest = field === undefined ? '' : `.${String(field)}`;
    return {
      message: `uses {{ ${pathText(segments)} }}, but '${String(id)}' is not a webinar of this funnel`,
      fix: near ? `did you mean {{ webinars.${near}${rest} }}?` : `declare it: webinars: [{ id: '${String(id)}', title, startsAt or schedule, joinUrl }]`,
    };
  }
  return field === undefined || WEBINAR_FIELDS.includes(String(field)) ? undefined : unknown(segments, plan, scope);
}

/** `{{ links.<name> }}`: the deep link, the referral link, the unsubscribe page (not on pages), a page of this funnel. */
function linksVariable(segments: readonly (string | number)[], plan: Plan, scope: TemplateScope): Said | undefined {
  const [, name, pageId] = segments;
  if (name === undefined || name === 'telegram' || name === 'vk' || name === 'referral') return undefined;
  if (name === 'unsubscribe') {
    return scope === 'page'
      ? { message: 'uses {{ links.unsubscribe }}, but pages have no unsubscribe link', fix: 'the unsubscribe link belongs in messages; pages can use links.pages.* and links.telegram' }
      : undefined;
  }
  if (name === 'asks') {
    const asks = askIdsOf(plan);
    if (pageId === undefined || (typeof pageId === 'string' && asks.includes(pageId))) return undefined;
    const near = nearestId(String(pageId), asks);
    return {
      message: `uses {{ ${pathText(segments)} }}, but '${String(pageId)}' is not an ask of this funnel (the link would be empty)`,
      fix: near ? `did you mean {{ links.asks.${near} }}?` : `link an ask's answer page by its id: ${asks.join(', ') || 'the funnel has no ask'}`,
    };
  }
  if (name !== 'pages') return unknown(segments, plan, scope);
  if (pageId === undefined) return undefined;
  const ids = (plan.pages ?? []).map((p) => p.id);
  if (typeof pageId === 'string' && ids.includes(pageId)) return undefined;
  const near = nearestId(String(pageId), ids);
  return {
    message: `uses {{ ${pathText(segments)} }}, but '${String(pageId)}' is not a page of this funnel (the link would be empty)`,
    fix: near ? `did you mean {{ links.pages.${near} }}?` : `add it: pages: [{ id: '${String(pageId)}', title, html }]`,
  };
}

/** Why a variable is not available to a template of this plan in this scope, or undefined when it is. */
function unknownVariable(segments: readonly (string | number)[], plan: Plan, scope: TemplateScope): Said | undefined {
  const [root, first, second] = segments;
  switch (root) {
    case 'contact':
      if (first === undefined) return undefined;
      if (first !== 'attributes') return contactField(String(first), segments, plan, scope);
      if (typeof second !== 'string' || plan.attributes.includes(second)) return undefined;
      {
        const near = closest(second, plan.attributes);
        return {
          message: `uses {{ contact.attributes.${second} }}, but '${second}' is not a declared attribute`,
          fix: near ? `did you mean contact.attributes.${near}? If not, declare it: attributes: ['${second}']` : `declare it: attributes: ['${second}']`,
        };
      }
    case 'webinars':
      return webinarsVariable(segments, plan, scope);
    case 'links':
      return linksVariable(segments, plan, scope);
    case 'webinar':
      if (scope !== 'invite' && first !== undefined && WEBINAR_FIELDS.includes(String(first))) {
        const ids = (plan.webinars ?? []).map((w) => w.id);
        const id = ids.length === 1 ? ids[0]! : '<id>';
        return {
          message: `uses {{ ${pathText(segments)} }}, but webinar.* only exists in a webinar invite`,
          fix: `use {{ webinars.${id}.${String(first)} }}: the contact's session of that webinar`,
        };
      }
      break;
  }
  if (typeof root === 'string' && root in ROOTS && (first === undefined || ROOTS[root]?.includes(String(first)))) return undefined;
  return unknown(segments, plan, scope);
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

const liquid = new Liquid();

/** The global variables a template reads (those it assigns, captures or loops over are its own), or its syntax error. */
export function templateVariables(source: string): { variables: (string | number)[][] } | { error: string } {
  try {
    const found = liquid.globalVariableSegmentsSync(liquid.parse(source)) as Segment[][];
    return { variables: found.map(plainPrefix) };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error' };
  }
}

/**
 * Problems in every Liquid template of the funnel — touches, fallbacks, Telegram buttons (text and URL), invites and
 * pages: syntax errors, variables the funnel cannot provide there, pages and webinars that do not exist.
 */
export function templateProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  for (const { stepId, field, source, scope } of templateSources(plan)) {
    const found = templateVariables(source);
    if ('error' in found) {
      problems.push({ funnel: plan.id, step: stepId, message: `${field} is not valid Liquid: ${found.error}`, fix: SYNTAX_FIX });
      continue;
    }
    const seen = new Set<string>();
    for (const segments of found.variables) {
      const key = pathText(segments);
      if (seen.has(key)) continue;
      seen.add(key);
      const wrong = unknownVariable(segments, plan, scope);
      if (wrong) problems.push({ funnel: plan.id, step: stepId, message: `${field} ${wrong.message}`, fix: wrong.fix });
    }
  }
  return [...problems, ...formTextProblems(plan)];
}

/** Form texts are shown as written (the visitor is not known yet): Liquid there would show as typed. */
function formTextProblems(plan: Plan): Problem[] {
  const form = plan.form;
  if (!form) return [];
  const texts: Array<[string, string]> = [
    ['title', form.title],
    ...form.fields.map((f, i): [string, string] => [`fields[${i}].label`, f.label]),
    ...form.consents.map((c, i): [string, string] => [`consents[${i}].label`, c.label]),
  ];
  return texts.filter(([, text]) => /\{\{|\{%/.test(text)).map(([field, text]) => ({
    funnel: plan.id, area: 'form', message: `the form's ${field} "${text}" contains Liquid, but forms are shown as written`,
    fix: 'write the text itself: the form is shown before the funnel knows the visitor',
  }));
}
