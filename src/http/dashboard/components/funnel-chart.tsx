import type { FunnelStats } from '../../../analytics/funnel-stats';
import type { Plan } from '../../../dsl/plan';
import type { PageContext } from '../layout';
import { reachedOf } from '../data/funnel-data';
import { ENTRY, touchPaths } from '../data/touch-paths';

const W = 860;
const LABEL_W = 190;
const BAR_W = 380;
const ROW_H = 34;
const TOP = 34;

/**
 * The step-by-step funnel as SVG bars: enrolled, then each touch in plan order with how many it reached and, inside
 * that bar, how many opened and clicked; the text beside each bar gives the share of enrolled and the drop-off from
 * the touches every enrollment reaching it came through (touches inside arms are indented; the first touch of an
 * arm has no drop-off, its base being shared with its sibling arms).
 */
export function FunnelChart(props: { ctx: PageContext; stats: FunnelStats; plan: Plan }) {
  const { m, fmt } = props.ctx;
  const { stats } = props;
  const paths = touchPaths(props.plan.steps);
  const rows = stats.touches.map((t) => ({ id: t.touchId, channel: t.channel, reached: reachedOf(t), opened: t.opened, clicked: t.clicked }));
  const reached = new Map<string, number>([[ENTRY, stats.enrolled], ...rows.map((r) => [r.id, r.reached] as [string, number])]);
  const baseOf = (id: string) => {
    const base = paths.get(id)?.base ?? [];
    return base.length === 0 ? undefined : base.reduce((sum, b) => sum + (reached.get(b) ?? 0), 0);
  };
  const scale = Math.max(1, stats.enrolled, ...rows.map((r) => r.reached));
  const bar = (n: number) => (n > 0 ? Math.max(2, (n / scale) * BAR_W) : 0);
  const height = TOP + (rows.length + 1) * ROW_H + 8;
  const share = (n: number) => (stats.enrolled > 0 ? ` · ${fmt.percent(n / stats.enrolled)}` : '');
  return (
    <figure class="chart">
      <svg class="funnel" role="img" aria-labelledby="funnel-title" viewBox={`0 0 ${W} ${height}`} width={W} height={height} xmlns="http://www.w3.org/2000/svg">
        <title id="funnel-title">{m.chartTitle}</title>
        <g class="legend">
          <rect class="reached" x={LABEL_W} y="8" width="12" height="12" /><text x={LABEL_W + 18} y="18">{m.reached}</text>
          <rect class="opened" x={LABEL_W + 120} y="8" width="12" height="12" /><text x={LABEL_W + 138} y="18">{m.opened}</text>
          <rect class="clicked" x={LABEL_W + 240} y="8" width="12" height="12" /><text x={LABEL_W + 258} y="18">{m.clicked}</text>
        </g>
        <g class="bar" data-bar="__enrolled" data-reached={stats.enrolled}>
          <text class="label" x={LABEL_W - 8} y={TOP + 21}>{m.enrolled}</text>
          <rect class="enrolled" x={LABEL_W} y={TOP + 6} width={bar(stats.enrolled)} height={ROW_H - 12} />
          <text class="value" x={LABEL_W + BAR_W + 10} y={TOP + 21}>{fmt.count(stats.enrolled)}</text>
        </g>
        {rows.map((r, i) => {
          const y = TOP + (i + 1) * ROW_H;
          const prev = baseOf(r.id);
          const drop = prev !== undefined && prev > 0 ? ` · ${m.dropOff} ${fmt.percent(Math.max(0, prev - r.reached) / prev)}` : '';
          const nested = (paths.get(r.id)?.depth ?? 0) > 0;
          const name = r.id.length > 20 ? `${r.id.slice(0, 19)}…` : r.id;
          return (
            <g class="bar" data-bar={r.id} data-depth={paths.get(r.id)?.depth ?? 0} data-reached={r.reached} data-opened={r.opened} data-clicked={r.clicked}>
              <title>{`${r.id} (${r.channel}): ${m.reached} ${fmt.count(r.reached)}, ${m.opened} ${fmt.count(r.opened)}, ${m.clicked} ${fmt.count(r.clicked)}`}</title>
              <text class="label" x={LABEL_W - 8} y={y + 21}>{nested ? `↳ ${name}` : name}</text>
              <rect class="track" x={LABEL_W} y={y + 6} width={BAR_W} height={ROW_H - 12} />
              <rect class="reached" x={LABEL_W} y={y + 6} width={bar(r.reached)} height={ROW_H - 12} />
              <rect class="opened" x={LABEL_W} y={y + 10} width={bar(Math.min(r.opened, r.reached || r.opened))} height={ROW_H - 20} />
              <rect class="clicked" x={LABEL_W} y={y + 13} width={bar(Math.min(r.clicked, r.opened || r.clicked))} height={ROW_H - 26} />
              <text class="value" x={LABEL_W + BAR_W + 10} y={y + 21}>{`${fmt.count(r.reached)}${share(r.reached)}${drop}`}</text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{m.chartNote}</figcaption>
    </figure>
  );
}
