import { sql } from 'kysely';
import type { Db } from '../db/database';
import { NO_KEY, type GroupBy } from './group-key';
import type { MoneyScope } from './money-figures';
import { leadsInPeriod, type LeadRow } from './money-rollups';

type Num = number | string | bigint | null;

/**
 * The funnel's ad spend in the period, per group key, in minor units of the scope's currency. A spend row naming the
 * funnel counts whole; a row naming none is shared between the funnels by the leads each got in the period from
 * its source (and campaign, when the row names one) — a source that brought no leads to any funnel is nobody's cost
 * (the leads come from the lead rollups, leadsInPeriod, or `leadsOf` when the caller has them).
 * Grouped by source or campaign, a group gets the spend of its own rows; grouped by an attribute, the funnel's spend
 * is split by the group's share of the funnel's enrollments (`enrolled`).
 */
export async function spendByKey(
  db: Db, scope: MoneyScope, groupBy: GroupBy | undefined, enrolled: ReadonlyMap<string, number>,
  leadsOf: () => Promise<LeadRow[]> = () => leadsInPeriod(db, scope.funnelId, scope.from, scope.to),
): Promise<Map<string, number>> {
  const only = scope.source === undefined ? sql`` : sql`AND s.source = ${scope.source}`;
  const rows = await sql<{ source: string; campaign: string | null; funnel_id: string | null; amount: Num }>`
    SELECT s.source, s.campaign, s.funnel_id, sum(s.amount_minor) AS amount FROM spend s
    WHERE s.currency = ${scope.currency} AND s.day_start >= ${scope.from} AND s.day_start < ${scope.to}
      AND (s.funnel_id = ${scope.funnelId} OR s.funnel_id IS NULL) ${only}
    GROUP BY s.source, s.campaign, s.funnel_id`.execute(db);
  const out = new Map<string, number>();
  if (rows.rows.length === 0) return out;
  const leads = await leadsOf();
  const share = (source: string, campaign: string | null) => {
    let mine = 0;
    let all = 0;
    for (const l of leads) {
      if (l.source !== source || (campaign !== null && l.campaign !== campaign)) continue;
      all += Number(l.n);
      if (Number(l.mine) === 1) mine += Number(l.n);
    }
    return all === 0 ? 0 : mine / all;
  };
  let total = 0;
  for (const r of rows.rows) {
    const amount = Number(r.amount) * (r.funnel_id === null ? share(r.source, r.campaign) : 1);
    total += amount;
    const key = !groupBy ? '' : groupBy.kind === 'source' ? r.source : groupBy.kind === 'campaign' ? (r.campaign ?? NO_KEY) : null;
    if (key !== null) out.set(key, (out.get(key) ?? 0) + amount);
  }
  if (groupBy?.kind === 'attribute') {
    const all = [...enrolled.values()].reduce((a, b) => a + b, 0);
    for (const [key, n] of enrolled) out.set(key, all === 0 ? 0 : (total * n) / all);
  }
  return out;
}
