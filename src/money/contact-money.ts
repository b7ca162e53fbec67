import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import { parseJsonObject } from '../db/json';
import { currencyOf, mainCurrency, toMajor, toMinor, type MoneyByCurrency } from './minor-units';

/** What a contact has bought, over every funnel: the `ltv`, `orders`, purchase dates of `GET /api/contacts/:id`. */
export interface ContactMoney {
  /** Revenue of all the contact's orders in `currency`, in major units (rubles). */
  ltv: number;
  /** The same in minor units (kopecks): exact. */
  ltvMinor: number;
  /** The currency of `ltv`: the one the contact spent most in (RUB when none). */
  currency: string;
  /** Every currency the contact paid in → minor units. */
  ltvByCurrency: MoneyByCurrency;
  /** Goal events of any funnel the contact did: first and repeat purchases alike. */
  orders: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
}

/**
 * The contact's lifetime value: every event named as the goal of a funnel (any of `plans`) is an order, each event
 * once even when several funnels share the goal; its amount is the event's `value`, else the goal's default value.
 * Summed in minor units per currency, so the figure is exact.
 */
export async function contactMoney(db: Db, contactId: string, plans: readonly Plan[]): Promise<ContactMoney> {
  const defaults = new Map<string, number>();
  for (const p of plans) if (!defaults.has(p.goal.event)) defaults.set(p.goal.event, p.goal.value ?? 0);
  const names = [...defaults.keys()];
  const events = names.length === 0 ? [] : await db.selectFrom('events').select(['name', 'value', 'properties', 'occurred_at'])
    .where('contact_id', '=', contactId).where('name', 'in', names).orderBy('occurred_at').execute();
  const sums: MoneyByCurrency = {};
  for (const e of events) {
    const currency = currencyOf(parseJsonObject(e.properties));
    sums[currency] = (sums[currency] ?? 0) + toMinor(e.value ?? defaults.get(e.name) ?? 0);
  }
  const currency = mainCurrency(sums);
  const ltvMinor = sums[currency] ?? 0;
  return {
    ltv: toMajor(ltvMinor), ltvMinor, currency, ltvByCurrency: sums, orders: events.length,
    firstPurchaseAt: events[0] ? new Date(events[0].occurred_at).toISOString() : null,
    lastPurchaseAt: events.length > 0 ? new Date(events[events.length - 1]!.occurred_at).toISOString() : null,
  };
}
