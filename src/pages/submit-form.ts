import type { PageDeps } from './deps';
import type { VersionedPlan } from '../db/funnels';
import type { EnrollmentRef } from '../engine/enroll';
import { upsertContact } from '../db/contacts';
import { enroll } from '../engine/enroll';
import { admitsTraffic } from '../engine/drafts';
import { ingestEvent } from '../engine/ingest-event';
import { UnavailableError } from '../errors';
import type { ValidSubmission } from './form-input';
import { recordPageDelivery } from './page-ledger';
import { pageUrl } from './page-url';
import { linkReferral } from '../referrals/link-referral';

/** The event every accepted lead form stores, with `{ funnelId }`. */
export const FORM_SUBMITTED = 'form.submitted';

/** Who sent the form, for the consent proof. */
export interface SubmissionOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** An accepted submission: the contact, its enrollment (null while Temporal is unreachable), where to send the person. */
export interface FormSubmitted {
  contactId: string;
  enrollmentId: string | null;
  redirect: string;
  /** When the visitor came through a referral link: whether it linked them to the referrer, or why not. */
  referral?: { linked: boolean; reason?: string };
}

/** Where a form sends people whose submission produced no personal page: the neutral thank-you. */
export function neutralThanksPath(funnelId: string): string {
  return `/f/${encodeURIComponent(funnelId)}/thanks`;
}

/**
 * Accepts a valid lead-form submission: upserts the contact with its consents (source `form:<funnelId>`), logs the
 * consent proof, stores the `form.submitted` event, enrolls the contact (through the event when it is the funnel's
 * entry, directly otherwise — a draft funnel enrolls test contacts only), writes the thank-you page's ledger row
 * and returns its personal URL. A referral code the visitor came with links them to the referrer (see linkReferral).
 *
 * When Temporal is unreachable the contact, consents and event stay stored and the person still gets the thank-you
 * page; the enrollment is then null. For a funnel entered by `form.submitted` the server's sweep enrolls later (the
 * event stays undispatched); for any other funnel nothing retries it — submitting again, or
 * `POST /api/funnels/:id/enrollments`, enrolls the contact.
 */
export async function submitForm(deps: PageDeps, funnel: VersionedPlan, submission: ValidSubmission, origin: SubmissionOrigin, referralCode?: string): Promise<FormSubmitted> {
  const { plan } = funnel;
  const now = deps.now();
  const source = `form:${plan.id}`;
  // The person ticked the boxes themselves: their consent also lifts an erasure suppression of their address.
  const { contact } = await upsertContact(deps.db, submission.contact, {
    source, ip: origin.ip, userAgent: origin.userAgent?.slice(0, 500) ?? null, erasureKey: deps.secretKey,
    wordings: Object.fromEntries(submission.consents.map((c) => [c.channel, c.wording])),
  }, now);
  // A refused referral (its own code, a loop) does not refuse the person: they still sign up, unlinked.
  const linked = referralCode === undefined ? undefined : await linkReferral(deps, { contactId: contact.id, ref: referralCode, via: source });
  const referral = linked && (linked.linked ? { linked: true } : { linked: false, reason: linked.reason });

  const ingested = await ingestEvent(deps, { contactId: contact.id, name: FORM_SUBMITTED, properties: { funnelId: plan.id } });
  let enrollment: EnrollmentRef | null = null;
  if (plan.entry === FORM_SUBMITTED) {
    if (!ingested.dispatched) deps.log.warn('form accepted, enrollment postponed: temporal unavailable', { funnel: plan.id, contact: contact.id, event: ingested.id });
    const row = await deps.db.selectFrom('enrollments').selectAll()
      .where('funnel_id', '=', plan.id).where('contact_id', '=', contact.id).where('status', '=', 'active').executeTakeFirst();
    if (row) enrollment = { enrollmentId: row.id, contactId: contact.id, funnelId: plan.id, version: row.version };
  } else if (await admitsTraffic(deps.db, plan, contact.id)) {
    const event = await deps.db.selectFrom('events').selectAll().where('id', '=', ingested.id).executeTakeFirstOrThrow();
    try {
      enrollment = (await enroll(deps, plan.id, contact.id, event)).enrollment;
    } catch (err) {
      if (!(err instanceof UnavailableError)) throw err;
      deps.log.warn('form accepted, contact not enrolled: temporal unavailable', { funnel: plan.id, contact: contact.id, event: event.id, error: err.message });
    }
  }

  const thankYou = plan.form && plan.pages?.find((p) => p.id === plan.form?.thankYouPage);
  if (!thankYou) return { contactId: contact.id, enrollmentId: enrollment?.enrollmentId ?? null, redirect: neutralThanksPath(plan.id), ...(referral && { referral }) };
  if (enrollment) {
    await recordPageDelivery(deps.db, {
      enrollment: { id: enrollment.enrollmentId, funnel_id: plan.id, contact_id: contact.id }, pageId: thankYou.id, title: thankYou.title,
    }, deps.now(), false);
  }
  return {
    contactId: contact.id,
    enrollmentId: enrollment?.enrollmentId ?? null,
    redirect: pageUrl(deps.publicUrl, deps.secretKey, plan.id, thankYou.id, contact.id),
    ...(referral && { referral }),
  };
}
