import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import type { ContactRow } from '../db/schema';
import { findContact } from '../db/contacts';

/** Lower-case letters and digits without the look-alikes (l, o, 0, 1): 32 symbols, 5 bits each. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const LENGTH = 10;

/** A referral code: 10 symbols of the alphabet above (50 random bits — far too many to enumerate contacts by). */
export const REFERRAL_CODE = /^[a-km-np-z2-9]{10}$/;

/** A fresh random code. */
export function newReferralCode(): string {
  return [...randomBytes(LENGTH)].map((b) => ALPHABET[b & 31]).join('');
}

/**
 * The contact's referral code, created on first use and stable from then on (the oldest one wins if two requests
 * race; the other keeps working too). A code names its contact only through this table — it derives from nothing.
 */
export async function referralCodeOf(db: Db, contactId: string, now: number): Promise<string> {
  const existing = await db.selectFrom('referral_codes').select('code').where('contact_id', '=', contactId)
    .orderBy('created_at').orderBy('code').limit(1).executeTakeFirst();
  if (existing) return existing.code;
  for (;;) {
    const code = newReferralCode();
    const res = await db.insertInto('referral_codes').values({ code, contact_id: contactId, created_at: now })
      .onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) > 0) return referralCodeOf(db, contactId, now);
  }
}

/** The contact a referral code belongs to (merged-away owners resolve to the survivor); undefined for anything else. */
export async function contactByReferralCode(db: Db, code: string): Promise<ContactRow | undefined> {
  if (!REFERRAL_CODE.test(code)) return undefined;
  const row = await db.selectFrom('referral_codes').select('contact_id').where('code', '=', code).executeTakeFirst();
  return row ? findContact(db, { contactId: row.contact_id }) : undefined;
}

/** The Telegram /start payload of a referral: `ref_<code>`. */
export function referralStartPayload(code: string): string {
  return `ref_${code}`;
}

/**
 * The link a contact shares (`{{ links.referral }}`): the funnel's lead form with `?ref=` when the funnel has one,
 * else the bot's deep link with `/start ref_<code>`, else null (nowhere for a friend to sign up).
 */
export function referralLink(o: { publicUrl: string; telegramBot: string | null | undefined; formFunnelId: string | null; code: string }): string | null {
  if (o.formFunnelId !== null) return `${o.publicUrl}/f/${encodeURIComponent(o.formFunnelId)}?ref=${o.code}`;
  if (o.telegramBot) return `https://t.me/${o.telegramBot.replace(/^@/, '')}?start=${referralStartPayload(o.code)}`;
  return null;
}

/** Whether templates (a touch with its fallbacks, a page) ask for `links.referral`: only then is a code made for the contact. */
export function usesReferralLink(templates: unknown): boolean {
  return JSON.stringify(templates ?? null).includes('links.referral');
}

/** The contact's `{{ links.referral }}` for a funnel (see referralLink), making its code on first use. */
export async function referralLinkFor(db: Db, o: { publicUrl: string; telegramBot: string | null | undefined; funnelHasForm: boolean; funnelId: string; contactId: string; now: number }): Promise<string | null> {
  if (!o.funnelHasForm && !o.telegramBot) return null;
  const code = await referralCodeOf(db, o.contactId, o.now);
  return referralLink({ publicUrl: o.publicUrl, telegramBot: o.telegramBot, formFunnelId: o.funnelHasForm ? o.funnelId : null, code });
}
