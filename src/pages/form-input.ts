import { z } from 'zod';
import type { ContactInput } from '../contacts/input';
import { EmailAddress, PhoneNumber } from '../contacts/input';
import { normalizePhone } from '../contacts/phone';
import type { Form } from '../dsl/plan';
import { isTimeZone } from '../time/zones';
import { REFERRAL_CODE } from '../referrals/referral-codes';

/** The hidden field people never see; a bot that fills it gets a pretend success and nothing is stored. */
export const HONEYPOT_FIELD = 'website';

/** The hidden field (and query parameter) carrying the referral code a visitor came with (`/f/<funnel>?ref=<code>`). */
export const REFERRAL_FIELD = 'ref';

/** The referral code of a submission — its `ref` field, else the `?ref=` of the URL — when it has the shape of one. */
export function submittedReferral(raw: Record<string, unknown>, query: string | undefined): string | undefined {
  const value = typeof raw[REFERRAL_FIELD] === 'string' ? (raw[REFERRAL_FIELD] as string).trim() : query;
  return value && REFERRAL_CODE.test(value) ? value : undefined;
}

/** A consent channel a form can ask for. */
export type ConsentChannel = Form['consents'][number]['channel'];

/** One problem with a submission, keyed by the form's field name (`email`, `attributes.city`, `consent.sms`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A consent the person ticked, with the exact wording they agreed to. */
export interface GrantedConsent {
  channel: ConsentChannel;
  wording: string;
}

/** What a valid submission turns into: the contact to upsert and the consents to prove. */
export interface ValidSubmission {
  contact: ContactInput;
  consents: GrantedConsent[];
}

/** The outcome of checking a submission against its form. */
export type FormCheck = { ok: true; submission: ValidSubmission } | { ok: false; issues: FieldIssue[] };

const TRUTHY = new Set(['on', 'true', '1', 'yes']);

/** What a browser or script sent, reduced to text: numbers and booleans as strings, blanks as undefined. */
function asText(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function textField(label: string, required: boolean, max: number) {
  const base = z.string({ error: (iss) => (iss.input === undefined ? `Заполните поле «${label}»` : `Поле «${label}» должно быть текстом`) })
    .max(max, `Не длиннее ${max} знаков`);
  return z.preprocess(asText, required ? base : base.optional());
}

function fieldSchema(field: Form['fields'][number]): z.ZodType<string | undefined> {
  const text = textField(field.label, field.required, field.name.startsWith('attributes.') ? 2000 : 320);
  switch (field.name) {
    case 'email':
      return text.refine((v) => v === undefined || EmailAddress.safeParse(v).success, 'Проверьте адрес почты, например anna@example.ru');
    case 'phone':
      return text.transform((v) => (v === undefined ? v : normalizePhone(v) ?? v))
        .refine((v) => v === undefined || PhoneNumber.safeParse(v).success, 'Проверьте номер телефона, например +7 916 123-45-67');
    case 'timezone':
      return text.refine((v) => v === undefined || isTimeZone(v), 'Выберите часовой пояс из списка');
    case 'name':
      return textField(field.label, field.required, 200);
    default:
      return text;
  }
}

function consentSchema(label: string, required: boolean) {
  const ticked = z.preprocess((v) => v === true || (typeof v === 'string' && TRUTHY.has(v.trim().toLowerCase())), z.boolean());
  return required ? ticked.refine((v) => v, `Без этого согласия мы не можем принять заявку: «${label}»`) : ticked;
}

/** The zod schema of a form's submission: one key per field name and per `consent.<channel>`; unknown keys are ignored. */
export function formSchema(form: Form) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of form.fields) shape[field.name] = fieldSchema(field);
  for (const consent of form.consents) shape[`consent.${consent.channel}`] = consentSchema(consent.label, consent.required);
  return z.object(shape);
}

/**
 * Checks a flat submission (`name`, `email`, `attributes.city`, `consent.email`, …) against the form: required
 * fields, valid email/phone/time zone, at least one of email and phone, required consents ticked. Every problem is
 * reported at once, keyed by field name; a valid one is the contact input and the consents given.
 */
export function checkSubmission(form: Form, raw: Record<string, unknown>): FormCheck {
  const parsed = formSchema(form).safeParse(raw);
  const issues: FieldIssue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const reach = form.fields.filter((f) => f.name === 'email' || f.name === 'phone').map((f) => f.name);
  if (reach.every((name) => asText(raw[name]) === undefined)) {
    const message = reach.length === 2 ? 'Укажите почту или телефон' : reach.length === 1 ? 'Заполните это поле, чтобы мы могли с вами связаться' : 'Форма не спрашивает ни почту, ни телефон';
    for (const name of reach.length > 0 ? reach : ['']) {
      if (!issues.some((i) => i.path === name)) issues.push({ path: name, message });
    }
  }
  if (!parsed.success || issues.length > 0) return { ok: false, issues };

  const data = parsed.data as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  const contact: ContactInput = {};
  for (const field of form.fields) {
    const value = data[field.name];
    if (typeof value !== 'string') continue;
    if (field.name.startsWith('attributes.')) attributes[field.name.slice('attributes.'.length)] = value;
    else contact[field.name as 'name' | 'email' | 'phone' | 'timezone'] = value;
  }
  if (Object.keys(attributes).length > 0) contact.attributes = attributes;
  const consents = form.consents.filter((c) => data[`consent.${c.channel}`] === true).map((c) => ({ channel: c.channel, wording: c.label }));
  if (consents.length > 0) contact.consent = Object.fromEntries(consents.map((c) => [c.channel, true]));
  return { ok: true, submission: { contact, consents } };
}

/** Whether the hidden honeypot field came back filled in. */
export function honeypotFilled(raw: Record<string, unknown>): boolean {
  const value = raw[HONEYPOT_FIELD];
  return value !== undefined && value !== null && value !== '' && value !== false;
}
