import type { Db } from '../db/database';
import type { AttributionModel } from './attribution-models';
import { FAR_FUTURE } from './periods';

/** One staff member's numbers over a period. */
export interface StaffMemberStats {
  by: string;
  /** Staff and offline touches logged (at in the period), and per kind. */
  touches: number;
  byKind: Record<string, number>;
  /** Credit of conversions in the period under the model (fractional for multi-touch models), and its revenue. */
  conversions: number;
  revenue: number;
  /** Leads (enrollments started in the period) whose first staff touch was this member's. */
  leads: number;
  /** Time from the lead (its enrollment) to its first staff touch: median and mean over those leads; null without any. */
  speedToLeadMedianMs: number | null;
  speedToLeadMeanMs: number | null;
}

/** What staffStats is asked: one funnel (else all), a period [from, to) in epoch ms, a model. */
export interface StaffStatsOptions {
  funnelId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  model: AttributionModel;
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/**
 * Per staff member (`by` of the logged touches), busiest first: touches logged, conversions credited to them, and
 * speed to lead — the seeds' "время ответа": for each lead, the time from enrolling to the first staff touch, credited
 * to whoever made it. With a funnel, only touches that count in that funnel's enrollments.
 */
export async function staffStats(db: Db, opts: StaffStatsOptions): Promise<StaffMemberStats[]> {
  const from = opts.from ?? 0;
  const to = opts.to ?? FAR_FUTURE;
  const out = new Map<string, StaffMemberStats>();
  const member = (by: string) => {
    let m = out.get(by);
    if (!m) out.set(by, m = { by, touches: 0, byKind: {}, conversions: 0, revenue: 0, leads: 0, speedToLeadMedianMs: null, speedToLeadMeanMs: null });
    return m;
  };

  let touches = db.selectFrom('logged_touches as lt').select(['lt.id', 'lt.by', 'lt.kind']).where('lt.at', '>=', from).where('lt.at', '<', to);
  if (opts.funnelId !== undefined) {
    const funnelId = opts.funnelId;
    touches = touches.where((eb) => eb.exists(eb.selectFrom('deliveries as d').select('d.id')
      .whereRef('d.logged_touch_id', '=', 'lt.id').where('d.funnel_id', '=', funnelId)));
  }
  for (const t of await touches.execute()) {
    const m = member(t.by);
    m.touches += 1;
    m.byKind[t.kind] = (m.byKind[t.kind] ?? 0) + 1;
  }

  let credit = db.selectFrom('attributions as a').innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
    .innerJoin('logged_touches as lt', 'lt.id', 'd.logged_touch_id')
    .select((eb) => ['lt.by', eb.fn.sum<number>('a.credit').as('credit'), eb.fn.sum<number>('a.revenue').as('revenue')])
    .where('a.model', '=', opts.model).where('a.occurred_at', '>=', from).where('a.occurred_at', '<', to).groupBy('lt.by');
  if (opts.funnelId !== undefined) credit = credit.where('a.funnel_id', '=', opts.funnelId);
  for (const r of await credit.execute()) {
    const m = member(r.by);
    m.conversions = round(Number(r.credit));
    m.revenue = round(Number(r.revenue), 2);
  }

  let firsts = db.selectFrom('deliveries as d').innerJoin('logged_touches as lt', 'lt.id', 'd.logged_touch_id')
    .innerJoin('enrollments as e', 'e.id', 'd.enrollment_id')
    .select(['d.enrollment_id', 'd.sent_at', 'lt.by', 'e.enrolled_at'])
    .where('e.enrolled_at', '>=', from).where('e.enrolled_at', '<', to)
    .orderBy('d.enrollment_id').orderBy('d.sent_at').orderBy('d.id');
  if (opts.funnelId !== undefined) firsts = firsts.where('d.funnel_id', '=', opts.funnelId);
  const speeds = new Map<string, number[]>();
  let last: string | undefined;
  for (const r of await firsts.execute()) {
    if (r.enrollment_id === last) continue;
    last = r.enrollment_id;
    const list = speeds.get(r.by) ?? [];
    list.push(Math.max(0, Number(r.sent_at) - Number(r.enrolled_at)));
    speeds.set(r.by, list);
  }
  for (const [by, list] of speeds) {
    const m = member(by);
    m.leads = list.length;
    m.speedToLeadMedianMs = median(list);
    m.speedToLeadMeanMs = Math.round(list.reduce((a, b) => a + b, 0) / list.length);
  }
  return [...out.values()].sort((a, b) => b.touches - a.touches || a.by.localeCompare(b.by));
}
