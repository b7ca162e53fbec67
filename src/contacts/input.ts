import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { Phone } from './phone';
import { isTimeZone } from '../time/zones';
import { LeadSource } from './lead-source';

const AttributeValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

// zod's unicode pattern takes `ß@v` and control characters; ours wants a dotted domain and no controls or specials.
// Written without \p{…} classes: the pattern is also published in the OpenAPI document, for other regex engines.
const EMAIL = /^[^\s@"<>()[\],;:\\\u0000-\u001f\u007f-\u009f]{1,64}@(?:[^\s@"<>()[\],;:\\\u0000-\u001f\u007f-\u009f.]+\.)+[^\s@"<>()[\],;:\\\u0000-\u001f\u007f-\u009f.]{2,63}$/u;

/** A mail domain that exists as a host name: every label valid after IDNA (school.рф → xn--…), a non-numeric top level. */
function isMailDomain(domain: string): boolean {
  // Letters, marks, decimal digits and hyphens only (IDNA 2008): `¾` or `·` would be mapped by UTS 46, not refused.
  if (!domain.split('.').every((label) => /^[\p{L}\p{M}\p{Nd}-]+$/u.test(label))) return false;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return false;
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}

/** An email address, internationalised ones included (кириллица@школа.рф is an everyday address for our users). */
export const EmailAddress = z.email({ pattern: EMAIL, message: 'invalid email address' }).max(320)
  // One issue per address: the domain is checked only once the pattern holds.
  .refine((e) => !EMAIL.test(e) || isMailDomain(e.slice(e.lastIndexOf('@') + 1)), 'invalid email address: the domain is not a host name');

/** A phone number as people type it (`8 (916) 123-45-67`), normalised to E.164; invalid numbers fail with a clear message. */
export const PhoneNumber = Phone;

/** An IPv4 or IPv6 address, as consent proof records it. */
export const IpAddress = z.string().refine((v) => isIP(v) !== 0, 'ip must be an IPv4 or IPv6 address')
  .meta({ anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] });

/**
 * The proof of the consents sent with a contact (38-FZ): the exact wording the person agreed to, their IP and user
 * agent when they did, and where (`source`, recorded as `api:<source>`). Ignored when no `consent` is given.
 */
export const ConsentProof = z.object({
  wording: z.string().max(5000).optional(),
  ip: IpAddress.optional(),
  userAgent: z.string().max(1000).optional(),
  source: z.string().trim().min(1, 'source must not be empty').max(200).optional(),
}).strict();
export type ConsentProof = z.infer<typeof ConsentProof>;

/** A contact as the API accepts it: at least one of externalId, email, phone. */
export const ContactInput = z.object({
  externalId: z.string().min(1).max(200).optional(),
  email: EmailAddress.optional(),
  phone: PhoneNumber.optional(),
  telegramChatId: z.union([z.string().regex(/^-?\d{1,20}$/, 'telegramChatId is a numeric chat id'), z.number().int().refine(Number.isSafeInteger, 'telegramChatId is too large for a number; send it as a string')]).transform(String).optional(),
  vkUserId: z.union([z.string().regex(/^\d{1,15}$/, 'vkUserId is a numeric VK user id'), z.number().int().positive().refine(Number.isSafeInteger, 'vkUserId is too large')]).transform(String).optional(),
  name: z.string().max(200).optional(),
  timezone: z.string().refine(isTimeZone, 'unknown IANA time zone, e.g. Europe/Moscow').optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale is a BCP 47 tag, e.g. ru or en-US').optional(),
  attributes: z.record(z.string().min(1).max(100), AttributeValue).refine((a) => Object.keys(a).length <= 100, 'at most 100 attributes').optional(),
  consent: z.object({ email: z.boolean().optional(), sms: z.boolean().optional(), telegram: z.boolean().optional(), vk: z.boolean().optional() }).strict().optional(),
  /** A test contact: draft funnels enroll it from their entry event and form (real contacts only through the API). */
  test: z.boolean().optional(),
  consentProof: ConsentProof.optional(),
  /**
   * Who brought this contact: a referral code (`{{ links.referral }}`, `referralCode` of a contact) or the referrer's
   * contact id. Refused (422, nothing stored) when unknown, the contact's own, or a loop; 409 when it has another referrer.
   */
  referredBy: z.string().trim().min(1).max(64).optional()
    .describe('a referral code or the referrer\'s contact id; the contact is linked to that referrer once (self-referral and loops are refused)'),
  /** Where the lead came from (utm_*, referrer, landing URL): kept as the contact's latest source, and its first when none yet. */
  source: LeadSource.optional(),
}).strict().refine((c) => c.externalId !== undefined || c.email !== undefined || c.phone !== undefined, {
  message: 'at least one of externalId, email, phone is required',
}).meta({ anyOf: [{ required: ['externalId'] }, { required: ['email'] }, { required: ['phone'] }] });
export type ContactInput = z.infer<typeof ContactInput>;

/** A contact as the API answers it. */
export interface Contact {
  id: string;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  telegramChatId: string | null;
  /** The VK user id VK community messages go to. */
  vkUserId: string | null;
  name: string | null;
  timezone: string | null;
  locale: string | null;
  attributes: Record<string, string | number | boolean>;
  consent: Record<string, { granted: boolean; source: string; at: string }>;
  /** A test contact (see ContactInput.test). */
  test: boolean;
  createdAt: string;
  updatedAt: string;
}
