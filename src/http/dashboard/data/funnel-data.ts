import type { Db } from '../../../db/database';
import type { VersionedPlan } from '../../../db/funnels';
import { funnelStats, funnelStatsFromRawTables, type AttributionModel, type FunnelStats, type TouchStats } from '../../../analytics/funnel-stats';
import { DEFAULT_MODEL } from '../query';

/** One funnel's identity and its stats under one model. */
export interface FunnelKpis {
  id: string;
  name: string;
  version: string;
  /** A draft enrolls only test contacts and explicit API enrollments. */
  draft: boolean;
  stats: FunnelStats;
}

/** A period as funnelStats takes it: [from, to) in epoch ms, either side open. */
export interface Period {
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * A funnel's KPIs and per-touch stats under `model` (default last touch), over [from, to) when given; with `version`,
 * only what happened while enrollments were on that version (from the raw tables; touch ids continue across versions).
 */
export async function funnelKpis(db: Db, funnel: VersionedPlan, period: Period = {}, model: AttributionModel = DEFAULT_MODEL, version?: string): Promise<FunnelKpis> {
  const opts = { model, from: period.from, to: period.to };
  const stats = version === undefined ? await funnelStats(db, funnel.plan, opts) : await funnelStatsFromRawTables(db, funnel.plan, { ...opts, version });
  return { id: funnel.plan.id, name: funnel.plan.name, version: funnel.version, draft: funnel.plan.draft === true, stats };
}

/** How many contacts a touch reached: handed to a provider or stored in the dev outbox. */
export function reachedOf(t: TouchStats): number {
  return t.sent + t.outbox;
}

/** One line of the reasons table: how often a touch was skipped or deferred for one reason. */
export interface ReasonCount {
  touchId: string;
  kind: 'skipped' | 'deferred';
  reason: string;
  count: number;
}

/** Skip and deferral counts per touch and reason, in plan order, the most frequent first within a touch. */
export function reasonCounts(touches: TouchStats[]): ReasonCount[] {
  const out: ReasonCount[] = [];
  for (const t of touches) {
    const rows: ReasonCount[] = [
      ...Object.entries(t.skippedByReason).map(([reason, count]) => ({ touchId: t.touchId, kind: 'skipped' as const, reason, count })),
      ...Object.entries(t.deferredByReason).map(([reason, count]) => ({ touchId: t.touchId, kind: 'deferred' as const, reason, count })),
    ];
    out.push(...rows.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)));
  }
  return out;
}
