import {
  Attribution, Condition, EventFilter, FallbackContent, Form, Page, Plan, Policy, TelegramButtonSpec, Utm, Webinar,
  type Step,
} from './plan';

/*
 * When a plan fails its schema, the other checks still run on what can be read: every step is kept in the shape the
 * checks need (fields of the wrong type dropped, a broken child list kept step by step), so one broken step never
 * hides the other mistakes of the file. Problems the schema already reported are not checked again: a salvaged field
 * is either the parsed value or absent.
 */

type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : []);

/** The elements of a list that parse on their own. */
function each<T>(x: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((v) => {
    const r = schema.safeParse(v);
    return r.success ? [r.data] : [];
  });
}

/** Copies the string fields that are strings. */
function strings(raw: Rec, fields: readonly string[]): Rec {
  const out: Rec = {};
  for (const f of fields) if (typeof raw[f] === 'string') out[f] = raw[f];
  return out;
}

function buttons(x: unknown): TelegramButtonSpec[][] | undefined {
  if (!Array.isArray(x)) return undefined;
  return x.map((row) => each(Array.isArray(row) ? row : [row], TelegramButtonSpec));
}

/** A fallback kept with its templates even when another of its fields is wrong. */
function fallback(x: unknown): FallbackContent | undefined {
  const parsed = FallbackContent.safeParse(x);
  if (parsed.success) return parsed.data;
  if (!isRec(x)) return undefined;
  const channel = x.channel;
  if (channel === 'email') return { channel, subject: str(x.subject) ?? '', ...strings(x, ['html', 'text', 'preheader']) } as FallbackContent;
  if (channel === 'sms') return { channel, text: str(x.text) ?? '' };
  if (channel === 'telegram') return { channel, text: str(x.text) ?? '', ...(x.buttons !== undefined && { buttons: buttons(x.buttons) }) } as FallbackContent;
  if (channel === 'push') return { channel, title: str(x.title) ?? '', body: str(x.body) ?? '', ...strings(x, ['url', 'icon']) } as FallbackContent;
  return undefined;
}

function touchOptions(raw: Rec): Rec {
  const out: Rec = {};
  if (Array.isArray(raw.fallback)) out.fallback = raw.fallback.map(fallback).filter((f) => f !== undefined);
  if (typeof raw.holdout === 'number' && raw.holdout > 0 && raw.holdout < 1) out.holdout = raw.holdout;
  return out;
}

/** The step as the checks can see it, or undefined when it is not a step at all. `where` names it when its id is broken. */
function salvageStep(raw: unknown, where: string): Step | undefined {
  if (!isRec(raw) || typeof raw.type !== 'string') return undefined;
  const id = str(raw.id) || where;
  const list = (x: unknown, key: string) => salvageSteps(x, `${id}.${key}`);
  switch (raw.type) {
    case 'email':
      return { type: 'email', id, subject: str(raw.subject) ?? '', ...strings(raw, ['html', 'text', 'preheader']), ...touchOptions(raw) } as Step;
    case 'sms':
      return { type: 'sms', id, text: str(raw.text) ?? '', ...touchOptions(raw) } as Step;
    case 'telegram':
      return { type: 'telegram', id, text: str(raw.text) ?? '', ...(raw.buttons !== undefined && { buttons: buttons(raw.buttons) }), ...touchOptions(raw) } as Step;
    case 'push':
      return { type: 'push', id, title: str(raw.title) ?? '', body: str(raw.body) ?? '', ...strings(raw, ['url', 'icon']), ...touchOptions(raw) } as Step;
    case 'webinarInvite':
      return {
        type: 'webinarInvite', id, webinar: str(raw.webinar) ?? '', via: raw.via === 'telegram' ? 'telegram' : 'email', text: str(raw.text) ?? '',
        ...strings(raw, ['subject', 'html']), ...(raw.buttons !== undefined && { buttons: buttons(raw.buttons) }), ...touchOptions(raw),
      } as Step;
    case 'wait':
      return { type: 'wait', id, ms: 1 };
    case 'waitUntil': {
      const weekdays = Array.isArray(raw.weekdays) ? raw.weekdays.filter((d): d is number => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7) : undefined;
      return {
        type: 'waitUntil', id, ...strings(raw, ['time', 'webinar', 'date']), ...(weekdays && { weekdays }),
        ...(Number.isInteger(raw.offsetMs) && { offsetMs: raw.offsetMs as number }), ...(raw.else !== undefined && { else: list(raw.else, 'else') }),
        ...((raw.late === 'skip' || raw.late === 'send') && { late: raw.late }),
      } as Step;
    }
    case 'waitFor':
      return { type: 'waitFor', id, events: each(raw.events, EventFilter), timeoutMs: 1, then: list(raw.then, 'then'), else: list(raw.else, 'else') };
    case 'task':
      return {
        type: 'task', id, kind: 'call', title: str(raw.title) ?? '', timeoutMs: 1, then: list(raw.then, 'then'), else: list(raw.else, 'else'),
      } as Step;
    case 'branch': {
      const cond = Condition.safeParse(raw.if);
      return { type: 'branch', id, if: cond.success ? cond.data : { kind: 'all', conditions: [] }, then: list(raw.then, 'then'), else: list(raw.else, 'else') };
    }
    case 'split': {
      const variants = (Array.isArray(raw.variants) ? raw.variants : []).flatMap((v, i) => {
        if (!isRec(v)) return [];
        const vid = str(v.id) || `variants[${i}]`;
        return [{ id: vid, weight: 1, steps: salvageSteps(v.steps, `${id}.${vid}`) }];
      });
      return { type: 'split', id, variants };
    }
    case 'exit':
      return { type: 'exit', id, ...(typeof raw.reason === 'string' && { reason: raw.reason }) };
    default:
      return undefined;
  }
}

function salvageSteps(raw: unknown, where: string): Step[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s, i) => {
    const step = salvageStep(s, `${where}[${i}]`);
    return step ? [step] : [];
  });
}

/** A part of the plan: the parsed value, or what `repair` makes of it, or undefined. */
function part<T>(x: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | undefined {
  const r = schema.safeParse(x);
  return r.success ? r.data : undefined;
}

/** The ids a list of objects declares, for entries that do not parse: kept so references to them are not reported twice. */
function stubs<T>(x: unknown, schema: Parameters<typeof each<T>>[1], stub: (id: string) => T): T[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((v) => {
    const r = schema.safeParse(v);
    if (r.success) return [r.data];
    const id = isRec(v) ? str(v.id) : undefined;
    return id ? [stub(id)] : [];
  });
}

/**
 * What the static checks can read of a plan that failed its schema. Every field keeps its parsed value when it parses
 * on its own; steps, webinars and pages are kept one by one.
 */
export function salvagePlan(raw: unknown, funnel: string): Plan {
  const r = isRec(raw) ? raw : {};
  const goal = isRec(r.goal) ? r.goal : {};
  const form = part(r.form, Form) ?? (isRec(r.form) && typeof r.form.thankYouPage === 'string'
    ? { title: '', fields: (Array.isArray(r.form.fields) ? r.form.fields : []).filter(isRec).map((f) => ({ name: String(f.name), label: '', required: false })), consents: [], thankYouPage: r.form.thankYouPage }
    : undefined);
  return {
    id: funnel,
    name: str(r.name) ?? '',
    entry: part(r.entry, Plan.shape.entry) ?? null,
    timezone: str(r.timezone) ?? 'UTC',
    goal: { event: str(goal.event) ?? '', withinMs: 1, exit: true },
    attributes: strs(r.attributes),
    events: strs(r.events),
    steps: salvageSteps(r.steps, 'steps'),
    webinars: stubs(r.webinars, Webinar, (id) => ({ id, title: '', minLeadMs: 0, durationMs: 1, joinUrl: '' })),
    pages: stubs(r.pages, Page, (id) => ({ id, title: '', html: '' })),
    ...(form && { form }),
    ...(part(r.policy, Policy) && { policy: part(r.policy, Policy) }),
    ...(part(r.attribution, Attribution) && { attribution: part(r.attribution, Attribution) }),
    ...(part(r.utm, Utm) && { utm: part(r.utm, Utm) }),
  };
}
