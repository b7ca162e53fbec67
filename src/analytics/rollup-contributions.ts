import type { SqlDialect } from '../db/database';
import { REACHED_STATUSES } from '../../workflows/statuses';
import {
  REACHED_SQL, sqlList, assistedSql, convertedAfterSql, deliveryCountersSql, flagSql, lagBucketSql, lagSql, skipReasonSql,
} from './rollup-sql';
import type { FamilyName } from './rollup-ddl';

/**
 * One counter update a ledger row causes: the rollup family, the time it is bucketed by (`at`, an ms expression),
 * the other key columns, what to add (`counters`), optionally over joined rows (`from`) and only when `where` holds.
 */
export interface Contribution {
  family: FamilyName;
  at: string;
  keys: Record<string, string>;
  counters: Record<string, string>;
  from?: string;
  where?: string;
  /**
   * Set when the counter belongs to rows of another table (`deliveries`, whose converted-after counters depend on
   * the conversion): the trigger keeps it current when this row changes, a rebuild counts it once, with its owner.
   */
  onBehalfOf?: string;
}

/**
 * What each row (alias `r`) of each ledger table adds to the rollups, in the SQL of `dialect`. The stats are sums of
 * these over the rows of a period; triggers add a row's contributions on insert, take them back on delete, and both
 * on update.
 */
export const contributionsOf = (dialect: SqlDialect): Record<string, (r: string) => Contribution[]> => ({
  enrollments: (r): Contribution[] => [
    { family: 'funnel', at: `${r}.enrolled_at`, keys: { funnel_id: `${r}.funnel_id` }, counters: { enrolled: '1', active: flagSql(`${r}.status = 'active'`, dialect) } },
  ],
  conversions: (r): Contribution[] => [
    { family: 'funnel', at: `${r}.occurred_at`, keys: { funnel_id: `${r}.funnel_id` }, counters: { converted: '1', revenue: `${r}.value` } },
    { // holdout lift: reached / held-out deliveries due before the conversion
      family: 'touch', at: 'd.scheduled_at', keys: { funnel_id: 'd.funnel_id', touch_id: 'd.touch_id' },
      counters: { reached_converted: flagSql(`d.status IN ${REACHED_SQL}`, dialect), held_out_converted: flagSql(`d.status = 'held_out'`, dialect) },
      from: 'deliveries d',
      where: `d.enrollment_id = ${r}.enrollment_id AND d.scheduled_at <= ${r}.occurred_at AND d.status IN ${sqlList([...REACHED_STATUSES, 'held_out'])}`,
      onBehalfOf: 'deliveries',
    },
    { // split results: assignments made before the conversion
      family: 'split', at: 'a.at', keys: { funnel_id: 'a.funnel_id', split_id: 'a.split_id', variant_id: 'a.variant_id' },
      counters: { converted: '1' }, from: 'split_assignments a', where: `a.enrollment_id = ${r}.enrollment_id AND a.at <= ${r}.occurred_at`,
      onBehalfOf: 'split_assignments',
    },
  ],
  deliveries: (r): Contribution[] => [
    { family: 'touch', at: `${r}.scheduled_at`, keys: { funnel_id: `${r}.funnel_id`, touch_id: `${r}.touch_id` }, counters: deliveryCountersSql(r, dialect) },
    {
      family: 'reason', at: `${r}.scheduled_at`,
      keys: { funnel_id: `${r}.funnel_id`, touch_id: `${r}.touch_id`, kind: `'skipped'`, reason: skipReasonSql(r) },
      counters: { n: '1' }, where: `${r}.status = 'skipped'`,
    },
  ],
  touch_log: (r): Contribution[] => [
    { family: 'touch', at: `${r}.at`, keys: { funnel_id: `${r}.funnel_id`, touch_id: `${r}.touch_id` }, counters: { deferred: '1' }, where: `${r}.kind = 'deferred'` },
    {
      family: 'reason', at: `${r}.at`, keys: { funnel_id: `${r}.funnel_id`, touch_id: `${r}.touch_id`, kind: `'deferred'`, reason: `${r}.reason` },
      counters: { n: '1' }, where: `${r}.kind = 'deferred'`,
    },
  ],
  attributions: (r): Contribution[] => [
    {
      family: 'credit', at: `${r}.occurred_at`, keys: { funnel_id: `${r}.funnel_id`, model: `${r}.model`, touch_id: `${r}.touch_id` },
      counters: { credit: `${r}.credit`, revenue: `${r}.revenue`, conversions: '1', assisted: assistedSql(r, dialect) },
    },
    {
      family: 'lag', at: `${r}.occurred_at`,
      keys: { funnel_id: `${r}.funnel_id`, model: `${r}.model`, touch_id: `${r}.touch_id`, bucket: lagBucketSql(lagSql(r, 'd', dialect), dialect) },
      counters: { n: '1' }, from: 'deliveries d', where: `d.id = ${r}.delivery_id`,
    },
  ],
  split_assignments: (r): Contribution[] => [
    {
      family: 'split', at: `${r}.at`, keys: { funnel_id: `${r}.funnel_id`, split_id: `${r}.split_id`, variant_id: `${r}.variant_id` },
      counters: { assigned: '1', converted: flagSql(convertedAfterSql(r, 'at'), dialect) },
    },
  ],
});

/** Columns whose change moves a row's contributions; an update touching none of them costs nothing. */
export const WATCHED: Record<string, string[]> = {
  enrollments: ['funnel_id', 'status', 'enrolled_at'],
  conversions: ['funnel_id', 'enrollment_id', 'value', 'occurred_at'],
  deliveries: ['funnel_id', 'enrollment_id', 'touch_id', 'status', 'reason', 'scheduled_at', 'delivered_at', 'opened_at', 'clicked_at', 'replied_at', 'unsubscribed_at'],
  touch_log: ['funnel_id', 'touch_id', 'kind', 'reason', 'at'],
  attributions: ['conversion_id', 'model', 'delivery_id', 'funnel_id', 'touch_id', 'credit', 'revenue', 'occurred_at'],
  split_assignments: ['enrollment_id', 'funnel_id', 'split_id', 'variant_id', 'at'],
};
