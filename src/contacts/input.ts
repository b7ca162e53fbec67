import { isIP } from 'node:net';
import { z } from 'zod';
import { Phone } from './phone';
import { isTimeZone } from '../time/zones';

const AttributeValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

/** An email address, internationalised ones included (кириллица@школа.рф is an everyday address for our users). */
export const EmailAddress = z.email({ pattern: z.regexes.unicodeEmail, message: 'invalid email address' }).max(320);

/** A phone number as people type it (`8 (916) 123-45-67`), normalised to E.164; invalid numbers fail with a clear message. */
export const PhoneNumber = Phone;

/** An IPv4 or IPv6 address, as consent proof records it. */
export const IpAddress = z.string().refine((v) => isIP(v) !== 0, 'ip must be an IPv4 or IPv6 address');

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
  name: z.string().max(200).optional(),
  timezone: z.string().refine(isTimeZone, 'unknown IANA time zone, e.g. Europe/Moscow').optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale is a BCP 47 tag, e.g. ru or en-US').optional(),
  attributes: z.record(z.string().min(1).max(100), AttributeValue).refine((a) => Object.keys(a).length <= 100, 'at most 100 attributes').optional(),
  consent: z.object({ email: z.boolean().optional(), sms: z.boolean().optional(), telegram: z.boolean().optional() }).strict().optional(),
  consentProof: ConsentProof.optional(),
}).strict().refine((c) => c.externalId !== undefined || c.email !== undefined || c.phone !== undefined, {
  message: 'at least one of externalId, email, phone is required',
});
export type ContactInput = z.infer<typeof ContactInput>;

/** A contact as the API answers it. */
export interface Contact {
  id: string;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  telegramChatId: string | null;
  name: string | null;
  timezone: string | null;
  locale: string | null;
  attributes: Record<string, string | number | boolean>;
  consent: Record<string, { granted: boolean; source: string; at: string }>;
  createdAt: string;
  updatedAt: string;
}
