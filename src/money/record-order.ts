import type { Db } from '../db/database';
import type { EnrollmentRow, EventRow } from '../db/schema';
import type { Attribution, Goal } from '../dsl/plan';
import { newId } from '../db/ids';
import { parseJsonObject } from '../db/json';
import { ATTRIBUTION_MODELS, attributionSettings, creditShares } from '../analytics/attribution-models';
import { touchesBefore } from '../analytics/record-conversion';
import { currencyOf, toMinor } from './minor-units';

/**
 * Records a goal event of an enrollment as an order, once per (enrollment, event): the first one is the
 * enrollment's conversion (credited by recordConversion), any other is a repeat purchase, credited here under every
 * model to the touches that reached the customer after the previous order and inside the attribution window.
 * Amounts are minor units of the event's currency (`properties.currency`, default RUB). Returns whether it was new.
 */
export async function recordOrder(
  db: Db, goal: Goal, enrollment: EnrollmentRow, event: EventRow, attribution?: Partial<Attribution> | undefined,
): Promise<boolean> {
  const settings = attributionSettings(goal, attribution);
  return db.transaction().execute(async (trx) => {
    const conversion = await trx.selectFrom('conversions').select('event_id').where('enrollment_id', '=', enrollment.id).executeTakeFirst();
    const isFirst = conversion?.event_id === event.id;
    const id = newId('or');
    const amount = toMinor(event.value ?? goal.value ?? 0);
    const currency = currencyOf(parseJsonObject(event.properties));
    const inserted = await trx.insertInto('orders').values({
      id, enrollment_id: enrollment.id, funnel_id: enrollment.funnel_id, contact_id: enrollment.contact_id, event_id: event.id,
      is_first: isFirst ? 1 : 0, amount_minor: amount, currency, occurred_at: event.occurred_at,
    }).onConflict((oc) => oc.columns(['enrollment_id', 'event_id']).doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    if (isFirst) return true;
    const previous = await trx.selectFrom('orders').select((eb) => eb.fn.max('occurred_at').as('at'))
      .where('enrollment_id', '=', enrollment.id).where('id', '<>', id).where('occurred_at', '<=', event.occurred_at).executeTakeFirst();
    const since = previous?.at === null || previous?.at === undefined ? -Infinity : Number(previous.at);
    const touches = (await touchesBefore(trx, enrollment.id, event.occurred_at, settings.windowMs)).filter((t) => t.at > since);
    if (touches.length === 0) return true;
    const times = touches.map((t) => t.at);
    for (const model of ATTRIBUTION_MODELS) {
      const rows = creditShares(model, times, settings.halfLifeMs).flatMap((share, i) => (share > 0 ? [{
        order_id: id, model, delivery_id: touches[i]!.deliveryId, funnel_id: enrollment.funnel_id, touch_id: touches[i]!.touchId,
        credit: share, amount_minor: share * amount, currency, occurred_at: event.occurred_at,
      }] : []));
      if (rows.length > 0) await trx.insertInto('repeat_credits').values(rows).execute();
    }
    return true;
  });
}
