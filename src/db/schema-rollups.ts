/*
 * Analytics rollups (migration 0003): counters kept current by SQLite triggers on the ledger tables, so the stats
 * of any period are sums over a few hundred rows instead of scans over millions. Each family exists per UTC hour
 * (`hour` = epoch ms / 3 600 000) and per UTC day (`day` = epoch ms / 86 400 000); the time-to-conversion
 * histogram per day only. The triggers never delete rows; a counter may return to 0.
 */

type PerHour<T> = T & { hour: number };
type PerDay<T> = T & { day: number };

/** Per funnel: enrollments by `enrolled_at` (and how many of them are active now), conversions and revenue by `occurred_at`. */
export interface RollupFunnelCounters {
  funnel_id: string;
  enrolled: number;
  active: number;
  converted: number;
  revenue: number;
}

/**
 * Per funnel and touch, by the delivery's `scheduled_at`: ledger states and engagement, and how many reached /
 * held-out deliveries were followed by the enrollment's conversion (holdout lift). `deferred` counts deferral log
 * entries by the time they were logged.
 */
export interface RollupTouchCounters {
  funnel_id: string;
  touch_id: string;
  sent: number;
  delivered: number;
  outbox: number;
  failed: number;
  skipped: number;
  held_out: number;
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  deferred: number;
  reached_converted: number;
  held_out_converted: number;
}

/** Per funnel, touch and reason: skipped deliveries (`kind` 'skipped', by `scheduled_at`) and deferrals ('deferred', by log time). */
export interface RollupReasonCounters {
  funnel_id: string;
  touch_id: string;
  kind: 'skipped' | 'deferred';
  reason: string;
  n: number;
}

/** Per funnel, model and touch, by the conversion's time: credit, credited revenue, credited conversions, assists. */
export interface RollupCreditCounters {
  funnel_id: string;
  model: string;
  touch_id: string;
  credit: number;
  revenue: number;
  conversions: number;
  assisted: number;
}

/** Per funnel, split and variant, by assignment time: enrollments assigned, and how many converted afterwards. */
export interface RollupSplitCounters {
  funnel_id: string;
  split_id: string;
  variant_id: string;
  assigned: number;
  converted: number;
}

/** Per funnel, model, day of the conversion, touch and log bucket (≈ 9% wide): credited touches that lay that long before it. */
export interface RollupLagDaysTable {
  funnel_id: string;
  model: string;
  day: number;
  touch_id: string;
  bucket: number;
  n: number;
}

/** The rollup tables as kysely sees them (merged into `Database`). */
export interface RollupTables {
  rollup_funnel_hours: PerHour<RollupFunnelCounters>;
  rollup_funnel_days: PerDay<RollupFunnelCounters>;
  rollup_touch_hours: PerHour<RollupTouchCounters>;
  rollup_touch_days: PerDay<RollupTouchCounters>;
  rollup_reason_hours: PerHour<RollupReasonCounters>;
  rollup_reason_days: PerDay<RollupReasonCounters>;
  rollup_credit_hours: PerHour<RollupCreditCounters>;
  rollup_credit_days: PerDay<RollupCreditCounters>;
  rollup_split_hours: PerHour<RollupSplitCounters>;
  rollup_split_days: PerDay<RollupSplitCounters>;
  rollup_lag_days: RollupLagDaysTable;
}
