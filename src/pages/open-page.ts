import type { PageDeps } from './deps';
import type { ContactRow, EnrollmentRow } from '../db/schema';
import type { Page } from '../dsl/plan';
import { findContact } from '../db/contacts';
import { ingestEvent } from '../engine/ingest-event';
import { toFunnelEvent } from '../engine/enroll';
import { renderTemplate, templateContext } from '../templates/render';
import { buildPageLinks } from './page-links';
import { latestEnrollment, recordPageDelivery } from './page-ledger';
import { verifyPageToken } from './page-url';

/** A page rendered for one contact. */
export interface OpenedPage {
  title: string;
  /** The page's HTML, every variable escaped. */
  html: string;
}

/**
 * Renders a funnel's page for the contact its token names and records the visit. Null — and nothing stored —
 * when the funnel, the page or the contact does not exist or the token was not signed for this very page.
 */
export async function openPage(deps: PageDeps, funnelId: string, pageId: string, token: string | undefined, via?: string | undefined): Promise<OpenedPage | null> {
  const funnel = deps.funnels.get(funnelId);
  const page = funnel?.plan.pages?.find((p) => p.id === pageId);
  if (!funnel || !page) return null;
  const contactId = verifyPageToken(deps.secretKey, funnelId, pageId, token);
  const contact = contactId ? await findContact(deps.db, { contactId }) : undefined;
  if (!contact) return null;

  const enrollment = await latestEnrollment(deps.db, funnelId, contact.id);
  const triggerRow = enrollment?.trigger_event_id
    ? await deps.db.selectFrom('events').selectAll().where('id', '=', enrollment.trigger_event_id).executeTakeFirst()
    : undefined;
  const ctx = {
    ...templateContext(contact, triggerRow ? toFunnelEvent(triggerRow) : null, { id: funnel.plan.id, name: funnel.plan.name }, page.id),
    links: await buildPageLinks(deps, funnel.plan, contact),
  };
  const rendered = {
    title: await renderTemplate(page.title, ctx, 'text'),
    html: await renderTemplate(page.html, ctx, 'html'),
  };
  await recordPageView(deps, funnelId, page, contact, enrollment, enrollment && (await viaDelivery(deps, via, enrollment, funnelId, page.id)));
  return rendered;
}

/**
 * The delivery whose tracked link (`via`, the link id the click redirect adds) brought the contact to this page: only
 * a link of a message of this very enrollment that points at this page counts; anything else is no one's click.
 */
async function viaDelivery(deps: PageDeps, via: string | undefined, enrollment: EnrollmentRow, funnelId: string, pageId: string): Promise<string | null> {
  if (!via || via.length > 100) return null;
  const row = await deps.db.selectFrom('links as l').innerJoin('deliveries as d', 'd.id', 'l.delivery_id').select(['d.id', 'l.url'])
    .where('l.id', '=', via).where('d.enrollment_id', '=', enrollment.id).where('d.channel', '!=', 'page').executeTakeFirst();
  return row && isPagePath(row.url, funnelId, pageId) ? row.id : null;
}

/** Whether a URL is the page `…/p/<funnelId>/<pageId>` (under any base: the link was stored as the message carried it). */
export function isPagePath(url: string, funnelId: string, pageId: string): boolean {
  if (!URL.canParse(url)) return false;
  return new URL(url).pathname.replace(/\/+$/, '').endsWith(`/p/${encodeURIComponent(funnelId)}/${encodeURIComponent(pageId)}`);
}

/**
 * Records a visit once per contact and page: the `<pageId>.viewed` event (first view only, by idempotency key) and,
 * when the contact is or was enrolled in the funnel, the page's ledger row with `opened_at` (= viewed) set and the
 * message whose tracked link the visit came through.
 */
export async function recordPageView(
  deps: PageDeps, funnelId: string, page: Page, contact: ContactRow, enrollment: EnrollmentRow | undefined, viaDeliveryId?: string | null | undefined,
): Promise<void> {
  if (enrollment) await recordPageDelivery(deps.db, { enrollment, pageId: page.id, title: page.title, viaDeliveryId }, deps.now(), true);
  await ingestEvent(deps, {
    contactId: contact.id, name: `${page.id}.viewed`, properties: { funnelId, channel: 'page' },
    idempotencyKey: `page-view:${funnelId}:${page.id}:${contact.id}`,
  });
}
