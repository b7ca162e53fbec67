import type { Db } from '../../db/database';
import type { VersionedPlan } from '../../db/funnels';
import { funnelStats } from '../../analytics/funnel-stats';
import type { FunnelKpis } from './stats-tables';
import type { OutboxEntry } from './pages/outbox';

/** A funnel's KPIs and per-touch stats under last-touch credit, over [from, to) when given. */
export async function funnelKpis(db: Db, funnel: VersionedPlan, range: { from?: number | undefined; to?: number | undefined } = {}): Promise<FunnelKpis> {
  const stats = await funnelStats(db, funnel.plan, { model: 'last_touch', from: range.from, to: range.to });
  return { id: funnel.plan.id, name: funnel.plan.name, version: funnel.version, stats };
}

/** The newest outbox emails (at most `limit`) with the touch and funnel of their ledger row. */
export async function latestOutbox(db: Db, limit = 100): Promise<OutboxEntry[]> {
  const rows = await db.selectFrom('outbox')
    .innerJoin('deliveries', 'deliveries.id', 'outbox.delivery_id')
    .select([
      'outbox.id', 'outbox.created_at', 'outbox.recipient', 'outbox.subject', 'outbox.text', 'outbox.html',
      'deliveries.touch_id', 'deliveries.funnel_id',
    ])
    .orderBy('outbox.created_at', 'desc').orderBy('outbox.id', 'desc')
    .limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, createdAt: Number(r.created_at), recipient: r.recipient, subject: r.subject,
    text: r.text, html: r.html, touchId: r.touch_id, funnelId: r.funnel_id,
  }));
}
