import type { Db } from '../db/database';
import type { EnrollmentRow } from '../db/schema';
import { newId } from '../db/ids';

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
}

/**
 * Makes sure the page touch has its one ledger row (`delivered` on channel `page`, unique per enrollment and page)
 * and, for a visit, that its `opened_at` (a page's "viewed") is set — the first visit's time is kept.
 */
export async function recordPageDelivery(db: Db, touch: PageTouch, now: number, viewed: boolean): Promise<void> {
  const { enrollment, pageId } = touch;
  await db.insertInto('deliveries').values({
    id: newId('dl'), enrollment_id: enrollment.id, funnel_id: enrollment.funnel_id, contact_id: enrollment.contact_id,
    touch_id: pageId, channel: 'page', planned_channel: 'page', status: 'delivered', reason: null, recipient: null,
    subject: touch.title, provider_message_id: null, attempts: 1, scheduled_at: now, created_at: now, sent_at: now,
    delivered_at: now, opened_at: viewed ? now : null, clicked_at: null, replied_at: null, failed_at: null,
    segments: null, cost: null, deferred_until: null, unsubscribed_at: null, variant: null,
  }).onConflict((oc) => oc.columns(['enrollment_id', 'touch_id']).doNothing()).execute();
  if (!viewed) return;
  await db.updateTable('deliveries').set({ opened_at: now })
    .where('enrollment_id', '=', enrollment.id).where('touch_id', '=', pageId).where('opened_at', 'is', null).execute();
}
