import { z } from 'zod';
import { ValidationError } from '../errors';

/** A `--where` problem, naming the expression. */
const whereError = (message: string) => new ValidationError(message, undefined, 'bad_where');

const Value = z.union([z.string().max(2000), z.number(), z.boolean()]);
const OneOrMore = z.union([Value, z.array(Value).min(1).max(100)]);

/**
 * Who a broadcast is for. Every part narrows: `attributes` (each equal to the value, or to one of a list; compared as
 * text, so `"30"` matches 30), `source` (the contact's first source, attribute `source`), `consent` per channel (true:
 * granted; false: not granted), `test` (test contacts only, or real ones only). A contact who was ever enrolled in the
 * funnel is never included, and neither is an erased one; a draft funnel takes only test contacts.
 */
export const BroadcastFilter = z.object({
  attributes: z.record(z.string().min(1).max(100), OneOrMore).refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes').optional(),
  source: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(100)]).optional(),
  consent: z.object({ email: z.boolean().optional(), sms: z.boolean().optional(), telegram: z.boolean().optional() }).strict().optional(),
  test: z.boolean().optional(),
}).strict();
export type BroadcastFilter = z.infer<typeof BroadcastFilter>;

/** The body of `POST /api/funnels/:id/broadcasts`. */
export const BroadcastRequest = z.object({
  filter: BroadcastFilter.optional(),
  /** Only count who would enter; nothing is stored. */
  dryRun: z.boolean().optional(),
  /** Enrollments per second, at most; default 10. */
  ratePerSecond: z.number().positive().max(1000).optional(),
}).strict();
export type BroadcastRequest = z.infer<typeof BroadcastRequest>;

/** The rate a broadcast runs at when none is given. */
export const DEFAULT_RATE_PER_SECOND = 10;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Whether a contact's attributes pass the filter's `attributes` and `source` (the parts SQL cannot say portably). */
export function attributesMatch(filter: BroadcastFilter, attributes: Record<string, unknown>): boolean {
  const wanted: Array<[string, unknown]> = [...Object.entries(filter.attributes ?? {}), ...(filter.source !== undefined ? [['source', filter.source] as [string, unknown]] : [])];
  return wanted.every(([name, value]) => {
    const have = attributes[name];
    return have !== undefined && have !== null && asList(value).some((v) => String(v) === String(have));
  });
}

const BOOLEAN = (key: string, v: string): boolean => {
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  throw whereError(`${key}=${v}: use true or false`);
};

/**
 * The filter of `npm run broadcast -- … --where <k=v> …` (each `--where` narrows): `source=vk_ads`, `test=true`,
 * `consent.telegram=true`, `attributes.city=Омск` or just `city=Омск`; `a|b` means either value.
 */
export function parseWhere(expressions: string[]): BroadcastFilter {
  const filter: { attributes?: Record<string, unknown>; source?: string | string[]; consent?: Record<string, boolean>; test?: boolean } = {};
  for (const expr of expressions) {
    const eq = expr.indexOf('=');
    if (eq <= 0) throw whereError(`${JSON.stringify(expr)}: write key=value, e.g. source=vk_ads or city=Омск`);
    const key = expr.slice(0, eq).trim();
    const raw = expr.slice(eq + 1).trim();
    const values = raw.split('|').map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) throw whereError(`${key}=: the value is empty`);
    const one = values.length === 1 ? values[0]! : values;
    if (key === 'source') filter.source = one;
    else if (key === 'test') filter.test = BOOLEAN(key, raw);
    else if (key.startsWith('consent.')) {
      const channel = key.slice('consent.'.length);
      if (!['email', 'sms', 'telegram'].includes(channel)) throw whereError(`${key}: consent is per channel: consent.email, consent.sms or consent.telegram`);
      filter.consent = { ...filter.consent, [channel]: BOOLEAN(key, raw) };
    } else {
      const name = key.startsWith('attributes.') ? key.slice('attributes.'.length) : key;
      if (!name) throw whereError(`${key}: name the attribute, e.g. attributes.city=Омск`);
      filter.attributes = { ...filter.attributes, [name]: one };
    }
  }
  const parsed = BroadcastFilter.safeParse(filter);
  if (!parsed.success) throw whereError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
