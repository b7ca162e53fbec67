import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import { parseJsonObject } from '../db/json';
import { attributesMatch, type BroadcastFilter } from './filter';

/** Contacts read per page while selecting an audience. */
const PAGE = 500;

/**
 * Calls `take` with every contact id the filter selects for the funnel, in id order, page by page: not erased, never
 * enrolled in this funnel, consent and test flag as asked (a draft takes test contacts only) in SQL; attributes and
 * source (JSON) checked here, so the query stays portable between SQLite and PostgreSQL.
 */
export async function eachAudienceMember(db: Db, plan: Pick<Plan, 'id' | 'draft'>, filter: BroadcastFilter, take: (ids: string[]) => Promise<void>): Promise<void> {
  const test = plan.draft === true ? true : filter.test;
  let after = '';
  for (;;) {
    let q = db.selectFrom('contacts as c').select(['c.id', 'c.attributes']).where('c.erased_at', 'is', null).where('c.id', '>', after)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.contact_id', '=', 'c.id').where('e.funnel_id', '=', plan.id))));
    if (test !== undefined) q = q.where('c.test', '=', test ? 1 : 0);
    for (const [channel, granted] of Object.entries(filter.consent ?? {})) {
      q = q.where((eb) => {
        const given = eb.exists(eb.selectFrom('consents as k').select('k.contact_id')
          .whereRef('k.contact_id', '=', 'c.id').where('k.channel', '=', channel).where('k.granted', '=', 1));
        return granted ? given : eb.not(given);
      });
    }
    const rows = await q.orderBy('c.id').limit(PAGE).execute();
    if (rows.length === 0) return;
    const ids = rows.filter((r) => attributesMatch(filter, parseJsonObject(r.attributes))).map((r) => r.id);
    if (ids.length > 0) await take(ids);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** How many contacts the filter selects for the funnel right now: exactly the snapshot a broadcast would take. */
export async function countAudience(db: Db, plan: Pick<Plan, 'id' | 'draft'>, filter: BroadcastFilter): Promise<number> {
  let n = 0;
  await eachAudienceMember(db, plan, filter, async (ids) => { n += ids.length; });
  return n;
}
