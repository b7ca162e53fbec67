import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { EnrollmentRow, EventRow } from '../db/schema';
import type { Attribution, Goal } from '../dsl/plan';
import { newId } from '../db/ids';
import { REACHED_STATUSES } from '../../workflows/statuses';
import { ATTRIBUTION_MODELS, attributionSettings, creditShares, type AttributionSettings } from './attribution-models';


/** Whether `event` is this enrollment's goal inside its window. */
export function isGoalHit(goal: Goal, enrollment: EnrollmentRow, event: EventRow): boolean {
  return event.name === goal.event && event.occurred_at >= enrollment.enrolled_at && event.occurred_at - enrollment.enrolled_at <= goal.withinMs;
}

/**
 * Records the enrollment's conversion once (later goal events are ignored) and, in the same transaction, the credit
 * of every attribution model. Revenue is the event's `value`, else the goal's default `value`, else 0. Credit goes
 * only to touches that reached the customer before the goal and inside the attribution window (`attribution.windowMs`,
 * default the goal's window). Returns true when this event is the enrollment's conversion (recorded now or by an
 * earlier, interrupted dispatch of the same event).
 */
export async function recordConversion(
  db: Db, goal: Goal, enrollment: EnrollmentRow, event: EventRow, attribution?: Partial<Attribution> | undefined,
): Promise<boolean> {
  const settings = attributionSettings(goal, attribution);
  return db.transaction().execute(async (trx) => {
    const conversionId = newId('cv');
    const value = event.value ?? goal.value ?? 0;
    const inserted = await trx.insertInto('conversions').values({
      id: conversionId, enrollment_id: enrollment.id, funnel_id: enrollment.funnel_id, contact_id: enrollment.contact_id,
      event_id: event.id, value, occurred_at: event.occurred_at,
    }).onConflict((oc) => oc.column('enrollment_id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const existing = await trx.selectFrom('conversions').select('event_id').where('enrollment_id', '=', enrollment.id).executeTakeFirst();
      return existing?.event_id === event.id;
    }
    await attributeConversion(trx, {
      id: conversionId, enrollment_id: enrollment.id, funnel_id: enrollment.funnel_id, value, occurred_at: event.occurred_at,
    }, settings);
    await trx.updateTable('enrollments').set({ converted_at: event.occurred_at }).where('id', '=', enrollment.id).execute();
    await trx.updateTable('enrollments').set({ status: 'converted' }).where('id', '=', enrollment.id).where('status', '=', 'exited').execute();
    return true;
  });
}

/** The fields of a conversion that attribution needs. */
export interface ConversionForCredit {
  id: string;
  enrollment_id: string;
  funnel_id: string;
  value: number;
  occurred_at: number;
}

/** A touch that reached the customer, as attribution sees it: its time is when it was sent (or delivered). */
export interface CreditedTouch {
  deliveryId: string;
  touchId: string;
  at: number;
}

/**
 * The enrollment's touches that earn credit for a goal at `goalAt`: reached, at or before the goal, inside the window;
 * oldest first. A page visited through a tracked link of one of the enrollment's messages is that message's click: the
 * message takes the page's place (at the visit's time, once), so the email that sent the customer gets the credit.
 */
export async function touchesBefore(db: Db, enrollmentId: string, goalAt: number, windowMs: number): Promise<CreditedTouch[]> {
  const at = sql<number>`coalesce(d.sent_at, d.delivered_at)`;
  const rows = await db.selectFrom('deliveries as d').leftJoin('deliveries as v', (j) => j.onRef('v.id', '=', 'd.via_delivery_id').on('v.enrollment_id', '=', enrollmentId))
    .select(['d.id', 'd.touch_id', at.as('at'), 'v.id as via_id', 'v.touch_id as via_touch'])
    .where('d.enrollment_id', '=', enrollmentId).where('d.status', 'in', [...REACHED_STATUSES])
    .where(at, '<=', goalAt).where(at, '>=', goalAt - windowMs)
    .orderBy(at).orderBy('d.created_at').orderBy('d.id').execute();
  const clicked = new Set(rows.flatMap((r) => (r.via_id ? [r.via_id] : [])));
  return rows.flatMap((r): CreditedTouch[] => {
    if (r.via_id && r.via_touch) return [{ deliveryId: r.via_id, touchId: r.via_touch, at: Number(r.at) }];
    return clicked.has(r.id) ? [] : [{ deliveryId: r.id, touchId: r.touch_id, at: Number(r.at) }];
  }).filter((t, i, all) => all.findLastIndex((o) => o.deliveryId === t.deliveryId) === i); // a message clicked twice: its latest click
}

/**
 * Writes the credit rows of all five models for one conversion (shares > 0 only; revenue = share × value).
 * `last_touch` rows are written first: the rollup's `assisted` counter recognises the last touch by them.
 * Returns how many rows were written.
 */
export async function attributeConversion(db: Db, conversion: ConversionForCredit, settings: AttributionSettings): Promise<number> {
  const touches = await touchesBefore(db, conversion.enrollment_id, conversion.occurred_at, settings.windowMs);
  if (touches.length === 0) return 0;
  const times = touches.map((t) => t.at);
  let written = 0;
  for (const model of ATTRIBUTION_MODELS) { // last_touch comes first in ATTRIBUTION_MODELS
    const rows = creditShares(model, times, settings.halfLifeMs).flatMap((share, i) => {
      const touch = touches[i]!;
      return share > 0 ? [{
        conversion_id: conversion.id, model, delivery_id: touch.deliveryId, funnel_id: conversion.funnel_id, touch_id: touch.touchId,
        credit: share, revenue: share * conversion.value, occurred_at: conversion.occurred_at,
      }] : [];
    });
    await db.insertInto('attributions').values(rows).execute();
    written += rows.length;
  }
  return written;
}
