import { z } from 'zod';

const Tag = z.string().trim().min(1).max(200);
const Url = z.string().trim().min(1).max(2000);

/** The utm_* tags a lead source has, in the order marketers write them. */
export const UTM_TAGS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

/** Where a lead came from, as the API and the lead form accept it: utm_* tags, the referrer and the landing URL. */
export const LeadSource = z.object({
  utm_source: Tag.optional(),
  utm_medium: Tag.optional(),
  utm_campaign: Tag.optional(),
  utm_term: Tag.optional(),
  utm_content: Tag.optional(),
  referrer: Url.optional(),
  landingUrl: Url.optional(),
}).strict();
export type LeadSource = z.infer<typeof LeadSource>;

/** A source as stored on the contact and answered by the API: the fields given, its grouping key, when. */
export interface StoredSource extends LeadSource {
  key: string;
  at: string;
}

/** Whether a source says anything at all. */
export function hasSource(s: LeadSource | undefined): s is LeadSource {
  return s !== undefined && Object.values(s).some((v) => v !== undefined);
}

/**
 * The key a source is grouped by: utm_source (lower case), else the referrer's host without `www.`, else `direct`
 * (a landing URL without tags and referrer).
 */
export function sourceKey(s: LeadSource): string {
  if (s.utm_source) return s.utm_source.toLowerCase();
  if (s.referrer) {
    try {
      return new URL(s.referrer).hostname.replace(/^www\./, '').toLowerCase() || 'direct';
    } catch {
      return 'direct';
    }
  }
  return 'direct';
}

/**
 * A source read from loose text (a form's hidden fields, a query string): utm_* as given, `referrer`, `landing_url`
 * or `landingUrl`; blank and over-long values are dropped, never refused (a lead is never lost over its tags).
 */
export function sourceFromFields(fields: Record<string, unknown>): LeadSource | undefined {
  const pick = (v: unknown, max: number) => (typeof v === 'string' && v.trim() !== '' && v.trim().length <= max ? v.trim() : undefined);
  const out: LeadSource = {};
  for (const tag of UTM_TAGS) {
    const v = pick(fields[tag], 200);
    if (v) out[tag] = v;
  }
  const referrer = pick(fields.referrer, 2000);
  if (referrer) out.referrer = referrer;
  const landing = pick(fields.landing_url ?? fields.landingUrl, 2000);
  if (landing) out.landingUrl = landing;
  return hasSource(out) ? out : undefined;
}
