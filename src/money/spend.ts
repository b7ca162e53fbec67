import type { Db } from '../db/database';
import { newId } from '../db/ids';
import type { SpendEntry } from './spend-input';

/** A stored spend row as the API answers it. */
export interface SpendView {
  id: string;
  source: string;
  campaign: string | null;
  funnelId: string | null;
  date: string;
  amount: number;
  amountMinor: number;
  currency: string;
}

/** Stores checked spend rows in one transaction: all of them or none. */
export async function storeSpend(db: Db, entries: readonly SpendEntry[], now: number): Promise<SpendView[]> {
  const rows = entries.map((e) => ({
    id: newId('sp'), source: e.source, campaign: e.campaign, funnel_id: e.funnelId, day: e.day, day_start: Date.parse(`${e.day}T00:00:00Z`),
    amount_minor: e.amountMinor, currency: e.currency, created_at: now,
  }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('spend').values(rows.slice(i, i + 500)).execute();
  });
  return rows.map((r) => ({
    id: r.id, source: r.source, campaign: r.campaign, funnelId: r.funnel_id, date: r.day, amount: r.amount_minor / 100, amountMinor: r.amount_minor, currency: r.currency,
  }));
}
