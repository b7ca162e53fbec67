import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import { planTouches } from '../dsl/plan';
import { ATTRIBUTION_MODELS, type AttributionModel } from './attribution-models';
import { FAR_FUTURE, histogramMedian, periodPieces, splitPeriod } from './periods';
import { addFallbacks } from './fallback-reader';
import { addRawCounts, addRawLags } from './raw-reader';
import { addRollupCounts, addRollupLags } from './rollup-reader';
import { DAY_MS } from './rollup-sql';
import { emptyFunnelTally, type FunnelTally, type TouchTally } from './stats-tally';

export { ATTRIBUTION_MODELS, type AttributionModel } from './attribution-models';

/** Models with stored credit: all five are recorded with every conversion. */
export const STORED_MODELS: readonly AttributionModel[] = ATTRIBUTION_MODELS;

/** One touch's row of the stats. */
export interface TouchStats {
  touchId: string;
  channel: string;
  sent: number;
  delivered: number;
  outbox: number;
  /** Opens of messages; views of pages. */
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  failed: number;
  skipped: number;
  /** Deferral log entries (a touch deferred twice counts twice). */
  deferred: number;
  heldOut: number;
  skippedByReason: Record<string, number>;
  deferredByReason: Record<string, number>;
  /** Attributed credit under the model (fractional for multi-touch models). */
  converted: number;
  /** converted / (sent + outbox). */
  conversionRate: number;
  /** Credited revenue: Σ credit × conversion value. */
  revenue: number;
  /** Conversions this touch got credit for without being their last touch. */
  assisted: number;
  /**
   * Reached deliveries that went out on another channel than the touch's (`asSms`, `asEmail`, … fallbacks), by the
   * channel used; `{}` when none. Counted within `sent`/`outbox` too: `channel` is the touch's planned channel.
   */
  fallbacks: Record<string, number>;
  /** Median time from this touch to the conversions it got credit for (histogram estimate, within ≈ 9%); null without any. */
  medianTimeToConversionMs: number | null;
}

/** A funnel's stats over a period under one attribution model. */
export interface FunnelStats {
  funnelId: string;
  model: AttributionModel;
  from: string | null;
  to: string | null;
  enrolled: number;
  active: number;
  converted: number;
  conversionRate: number;
  revenue: number;
  touches: TouchStats[];
}

/** What funnelStats is asked: a period [from, to) in epoch ms (open ends when undefined) and a model. */
export interface StatsOptions {
  from?: number | undefined;
  to?: number | undefined;
  model: AttributionModel;
  /** Only contacts whose first source has this key; answered from the raw tables (the rollups do not know sources). */
  source?: string | undefined;
}

/** The same for one version: rows written while their enrollment was on it (see analytics/version-filter.ts). */
export interface VersionStatsOptions extends StatsOptions {
  version?: string | undefined;
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Per-touch stats: ledger counts for touches scheduled in [from, to) (deferrals logged in it), enrollments that
 * started in it, credit, revenue and time to conversion for conversions in it. Whole days and then whole hours
 * come from the rollups (whole days only for the time-to-conversion histograms), the ragged ends from the raw
 * tables, so any period is exact and costs about the same. Touches: the plan's, then those of older versions with data in the period.
 */
export async function funnelStats(db: Db, plan: Plan, opts: StatsOptions): Promise<FunnelStats> {
  if (opts.source !== undefined) return funnelStatsFromRawTables(db, plan, opts);
  const from = opts.from ?? 0;
  const to = opts.to ?? FAR_FUTURE;
  const tally = emptyFunnelTally();
  for (const piece of periodPieces(from, to)) {
    if (piece.grain === 'raw') await addRawCounts(db, tally, plan.id, opts.model, piece.span);
    else await addRollupCounts(db, tally, plan.id, opts.model, piece.grain, piece.span);
  }
  const days = splitPeriod(from, to, DAY_MS);
  if (days.whole) await addRollupLags(db, tally, plan.id, opts.model, days.whole);
  for (const edge of days.edges) await addRawLags(db, tally, plan.id, opts.model, edge);
  await addFallbacks(db, tally, plan.id, [from, to]);
  return toStats(db, plan, tally, opts);
}

/**
 * The same stats computed from the raw ledger tables only (no rollups): the bench's baseline, a cross-check, the
 * `?source=` narrowing and the stats of one version (`opts.version`; touches keep their ids across versions, so the
 * same rows, filtered).
 */
export async function funnelStatsFromRawTables(db: Db, plan: Plan, opts: VersionStatsOptions): Promise<FunnelStats> {
  const span = [opts.from ?? 0, opts.to ?? FAR_FUTURE] as const;
  const tally = emptyFunnelTally();
  const filter = { version: opts.version, source: opts.source };
  await addRawCounts(db, tally, plan.id, opts.model, span, filter);
  await addRawLags(db, tally, plan.id, opts.model, span, filter);
  await addFallbacks(db, tally, plan.id, span, filter);
  return toStats(db, plan, tally, opts);
}

function hasData(t: TouchTally): boolean {
  const counts = [t.sent, t.outbox, t.opened, t.clicked, t.replied, t.unsubscribed, t.failed, t.skipped, t.heldOut, t.deferred, t.assisted];
  return counts.some((n) => n !== 0) || round(t.credit) !== 0 || [...t.lags.values()].some((n) => n !== 0);
}

const record = (m: Map<string, number>) => Object.fromEntries([...m.entries()].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));

async function toStats(db: Db, plan: Plan, tally: FunnelTally, opts: StatsOptions): Promise<FunnelStats> {
  const channels = new Map(planTouches(plan).map((t) => [t.id, t.channel as string]));
  const extras = [...tally.touches.entries()].filter(([id, t]) => !channels.has(id) && hasData(t)).map(([id]) => id).sort();
  for (const id of extras) {
    const row = await db.selectFrom('deliveries').select((eb) => eb.fn.coalesce('planned_channel', 'channel').as('channel'))
      .where('funnel_id', '=', plan.id).where('touch_id', '=', id).limit(1).executeTakeFirst();
    channels.set(id, row?.channel ?? 'email');
  }
  const touches = [...channels.entries()].map(([touchId, channel]): TouchStats => {
    const t = tally.touches.get(touchId);
    const converted = round(t?.credit ?? 0);
    const reached = (t?.sent ?? 0) + (t?.outbox ?? 0);
    return {
      touchId, channel,
      sent: t?.sent ?? 0, delivered: t?.delivered ?? 0, outbox: t?.outbox ?? 0, opened: t?.opened ?? 0, clicked: t?.clicked ?? 0,
      replied: t?.replied ?? 0, unsubscribed: t?.unsubscribed ?? 0, failed: t?.failed ?? 0, skipped: t?.skipped ?? 0,
      deferred: t?.deferred ?? 0, heldOut: t?.heldOut ?? 0,
      skippedByReason: t ? record(t.skippedByReason) : {}, deferredByReason: t ? record(t.deferredByReason) : {},
      converted, conversionRate: reached > 0 ? round(converted / reached) : 0, revenue: round(t?.revenue ?? 0, 2),
      assisted: t?.assisted ?? 0, medianTimeToConversionMs: t ? histogramMedian(t.lags) : null,
      fallbacks: t ? record(t.fallbacks) : {},
    };
  });
  return {
    funnelId: plan.id, model: opts.model,
    from: opts.from === undefined ? null : new Date(opts.from).toISOString(), to: opts.to === undefined ? null : new Date(opts.to).toISOString(),
    enrolled: tally.enrolled, active: tally.active, converted: tally.converted,
    conversionRate: tally.enrolled > 0 ? round(tally.converted / tally.enrolled) : 0, revenue: round(tally.revenue, 2), touches,
  };
}
