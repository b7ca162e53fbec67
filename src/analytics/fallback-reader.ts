import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Span } from './periods';
import { REACHED_SQL } from './rollup-sql';
import type { RawFilter } from './raw-reader';
import { addFallbackRows, type FunnelTally } from './stats-tally';
import { andVersion } from './version-filter';

/*
 * Fallbacks: reached deliveries that went out on another channel than their touch's (`asSms`, `asEmail`, …). They are
 * rare, so they are read straight from the ledger through the partial index `deliveries_fallbacks` (migration 0023:
 * funnel and scheduled time of just those rows) for any period, instead of being kept in the rollups.
 */

const inScope = (source: string | undefined) =>
  source === undefined ? sql`` : sql`AND d.contact_id IN (SELECT id FROM contacts WHERE source = ${source})`;

/** Adds the reached deliveries scheduled in [from, to) whose channel differs from the planned one, by touch and channel used, narrowed by `filter`. */
export async function addFallbacks(db: Db, tally: FunnelTally, funnelId: string, [from, to]: Span, filter: RawFilter = {}): Promise<void> {
  const rows = await sql<{ touch_id: string; channel: string; n: number }>`SELECT d.touch_id, d.channel, count(*) AS n
    FROM deliveries d WHERE d.funnel_id = ${funnelId} AND d.scheduled_at >= ${from} AND d.scheduled_at < ${to}
    AND d.channel <> d.planned_channel AND d.status IN ${sql.raw(REACHED_SQL)}
    ${andVersion(filter.version, 'd.enrollment_id', 'd.scheduled_at')} ${inScope(filter.source)}
    GROUP BY d.touch_id, d.channel`.execute(db);
  addFallbackRows(tally, rows.rows);
}
