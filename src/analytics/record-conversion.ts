import type { Db } from '../db/database';
import type { EnrollmentRow, EventRow } from '../db/schema';
import type { Goal } from '../dsl/plan';
import { newId } from '../db/ids';

/** Delivery states that count as "the touch reached the customer" for attribution (the dev outbox included). */
export const REACHED_STATUSES = ['sent', 'delivered', 'outbox'] as const;

/** Whether `event` is this enrollment's goal inside its window. */
export function isGoalHit(goal: Goal, enrollment: EnrollmentRow, event: EventRow): boolean {
  return event.name === goal.event && event.occurred_at >= enrollment.enrolled_at && event.occurred_at - enrollment.enrolled_at <= goal.withinMs;
}

/**
 * Records the enrollment's conversion once (later goal events are ignored) and credits the last touch
 * delivered before it inside the goal window (`last_touch`). Returns true when this event is the enrollment's
 * conversion (recorded now or by an earlier, interrupted dispatch of the same event).
 */
export async function recordConversion(db: Db, goal: Goal, enrollment: EnrollmentRow, event: EventRow): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const conversionId = newId('cv');
    const value = event.value ?? 0;
    const inserted = await trx.insertInto('conversions').values({
      id: conversionId, enrollment_id: enrollment.id, funnel_id: enrollment.funnel_id, contact_id: enrollment.contact_id,
      event_id: event.id, value, occurred_at: event.occurred_at,
    }).onConflict((oc) => oc.column('enrollment_id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const existing = await trx.selectFrom('conversions').select('event_id').where('enrollment_id', '=', enrollment.id).executeTakeFirst();
      return existing?.event_id === event.id;
    }

    const last = await trx.selectFrom('deliveries').select(['id', 'touch_id'])
      .where('enrollment_id', '=', enrollment.id)
      .where('status', 'in', [...REACHED_STATUSES])
      .where('sent_at', '<=', event.occurred_at)
      .where('sent_at', '>=', event.occurred_at - goal.withinMs)
      .orderBy('sent_at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (last) {
      await trx.insertInto('attributions').values({
        conversion_id: conversionId, model: 'last_touch', delivery_id: last.id, funnel_id: enrollment.funnel_id,
        touch_id: last.touch_id, credit: 1, revenue: value, occurred_at: event.occurred_at,
      }).execute();
    }
    await trx.updateTable('enrollments').set({ converted_at: event.occurred_at }).where('id', '=', enrollment.id).execute();
    await trx.updateTable('enrollments').set({ status: 'converted' }).where('id', '=', enrollment.id).where('status', '=', 'exited').execute();
    return true;
  });
}
