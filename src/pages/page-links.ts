import type { ContactRow } from '../db/schema';
import { askIdsOf, type Plan } from '../dsl/plan';
import { answerPageLinks } from './answer-url';
import type { PageDeps } from './deps';
import { pageUrl } from './page-url';
import { referralLinkFor, usesReferralLink } from '../referrals/referral-codes';

/** The `links` a page template sees: `links.pages.<pageId>` and `links.asks.<askId>` always; `links.telegram`, `links.referral` and the `pageLinks` extras when given. */
export interface PageLinks {
  pages: Record<string, string>;
  telegram?: string;
  [name: string]: string | Record<string, string> | undefined;
}

/** Builds a contact's links for one funnel's pages; a `pageLinks` name never replaces `pages` or `asks`. */
export async function buildPageLinks(deps: PageDeps, plan: Plan, contact: ContactRow): Promise<PageLinks> {
  const pages = Object.fromEntries((plan.pages ?? []).map((p) => [p.id, pageUrl(deps.publicUrl, deps.secretKey, plan.id, p.id, contact.id)]));
  const extra = deps.pageLinks ? await deps.pageLinks(contact, plan.id) : {};
  const telegram = deps.telegramLink ? await deps.telegramLink(contact.id) : null;
  const referral = usesReferralLink(plan.pages) ? await referralLinkFor(deps.db, {
    publicUrl: deps.publicUrl, telegramBot: deps.telegramBot, funnelHasForm: plan.form !== undefined, funnelId: plan.id, contactId: contact.id, now: deps.now(),
  }) : null;
  const asks = answerPageLinks(deps.publicUrl, deps.secretKey, plan.id, askIdsOf(plan.steps), contact.id);
  return { ...extra, ...(telegram && { telegram }), ...(referral && { referral }), pages, asks };
}
