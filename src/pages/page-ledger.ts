import type { Db } from '../db/database';
import type { EnrollmentRow } from '../db/schema';
import { recordPageDelivery as writePageDelivery } from '../db/deliveries';

/** The contact's most recent enrollment in a funnel (active or finished), or undefined. */
export function latestEnrollment(db: Db, funnelId: string, contactId: string): Promise<EnrollmentRow | undefined> {
  return db.selectFrom('enrollments').selectAll()
    .where('funnel_id', '=', funnelId).where('contact_id', '=', contactId)
    .orderBy('enrolled_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The page touch as one enrollment reaches it. */
export interface PageTouch {
  enrollment: Pick<EnrollmentRow, 'id' | 'funnel_id' | 'contact_id'>;
  pageId: string;
  title: string;
  /** The message of this enrollment whose tracked link the visit came through. */
  viaDeliveryId?: string | null | undefined;
}

/**
 * Makes sure the page touch has its one ledger row (`delivered` on channel `page`, unique per enrollment and page)
 * and, for a visit, that its `opened_at` (a page's "viewed") is set — the first visit's time is kept.
 */
export async function recordPageDelivery(db: Db, touch: PageTouch, now: number, viewed: boolean): Promise<void> {
  const { enrollment, pageId } = touch;
  await writePageDelivery(db, {
    enrollmentId: enrollment.id, funnelId: enrollment.funnel_id, contactId: enrollment.contact_id, pageId, title: touch.title, viaDeliveryId: touch.viaDeliveryId,
  }, now, viewed);
}
