import type { FunnelStats, TouchStats } from '../../analytics/funnel-stats';
import type { PageContext } from './layout';

/** One funnel's row of the KPI table. */
export interface FunnelKpis {
  id: string;
  name: string;
  version: string;
  stats: FunnelStats;
}

/** Funnel-level KPIs, one row per funnel, each name linking to the funnel's page. */
export function KpiTable(props: { ctx: PageContext; funnels: FunnelKpis[] }) {
  const { m, fmt } = props.ctx;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>{m.name}</th><th>{m.id}</th><th>{m.version}</th>
            <th class="num">{m.enrolled}</th><th class="num">{m.active}</th><th class="num">{m.converted}</th>
            <th class="num">{m.conversionRate}</th><th class="num">{m.revenue}</th>
          </tr>
        </thead>
        <tbody>
          {props.funnels.map((f) => (
            <tr data-funnel={f.id}>
              <td><a href={funnelHref(f.id)}>{f.name}</a></td>
              <td><code>{f.id}</code></td>
              <td><code>{f.version.slice(0, 12)}</code></td>
              <td class="num">{fmt.count(f.stats.enrolled)}</td>
              <td class="num">{fmt.count(f.stats.active)}</td>
              <td class="num">{fmt.count(f.stats.converted)}</td>
              <td class="num">{fmt.percent(f.stats.conversionRate)}</td>
              <td class="num">{fmt.money(f.stats.revenue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The per-touch table: ledger counts plus last-touch credit and revenue. */
export function TouchTable(props: { ctx: PageContext; touches: TouchStats[] }) {
  const { m, fmt } = props.ctx;
  if (props.touches.length === 0) return <p class="muted">{m.noTouches}</p>;
  const counts = ['sent', 'delivered', 'outbox', 'opened', 'clicked', 'failed', 'skipped'] as const;
  const heads: Record<(typeof counts)[number], string> = {
    sent: m.sent, delivered: m.delivered, outbox: m.inOutbox, opened: m.opened, clicked: m.clicked, failed: m.failed, skipped: m.skipped,
  };
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>{m.touch}</th><th>{m.channel}</th>
            {counts.map((k) => <th class="num">{heads[k]}</th>)}
            <th class="num">{m.converted}</th><th class="num">{m.conversionRate}</th><th class="num">{m.revenue}</th>
          </tr>
        </thead>
        <tbody>
          {props.touches.map((t) => (
            <tr data-touch={t.touchId}>
              <td><code>{t.touchId}</code></td>
              <td>{t.channel}</td>
              {counts.map((k) => <td class="num" data-col={k}>{fmt.count(t[k])}</td>)}
              <td class="num" data-col="converted">{fmt.decimal(t.converted)}</td>
              <td class="num" data-col="conversionRate">{fmt.percent(t.conversionRate)}</td>
              <td class="num" data-col="revenue">{fmt.money(t.revenue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The dashboard path of a funnel's page. */
export function funnelHref(id: string): string {
  return `/dashboard/funnels/${encodeURIComponent(id)}`;
}
