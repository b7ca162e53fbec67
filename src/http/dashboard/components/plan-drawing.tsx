import type { Plan } from '../../../dsl/plan';
import type { FlowCounts } from '../data/plan-flow';
import type { PageContext } from '../layout';
import { labelOf } from '../i18n';
import { layoutPlan } from './plan-layout';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The funnel's plan as an SVG flow chart: a box per step, arms side by side, the passed count on every edge; step types and arms in the page's language. */
export function PlanDrawing(props: { ctx: PageContext; plan: Plan; counts: FlowCounts }) {
  const { m, fmt } = props.ctx;
  const layout = layoutPlan(props.plan.steps, props.counts, m.start, (type) => labelOf(m, 'step_', type));
  const countText = (n: number | undefined) => (n === undefined ? '' : fmt.count(n));
  return (
    <figure class="chart">
      <svg class="plan" role="img" aria-labelledby="plan-title" viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width} height={layout.height} xmlns="http://www.w3.org/2000/svg">
        <title id="plan-title">{m.planTitle}</title>
        {layout.edges.map((e) => (
          <g class={e.labelled ? 'edge' : 'edge merge'} data-edge-to={e.to}>
            <polyline points={e.points.map(([x, y]) => `${x},${y}`).join(' ')} />
            {e.labelled && (() => {
              const [x, y] = e.points[e.points.length - 1] ?? [0, 0];
              const label = [e.arm && labelOf(m, 'arm_', e.arm), countText(e.count)].filter(Boolean).join(': ');
              return label ? <text x={x + 6} y={y - 8} data-count={e.count ?? ''}>{label}</text> : '';
            })()}
          </g>
        ))}
        {layout.nodes.map((n) => (
          <g class={`node ${n.kind}`} data-step={n.id}>
            <rect x={n.x} y={n.y} width={n.w} height={n.h} rx="6" />
            {n.kind === 'entry' ? (
              <>
                <text class="title" x={n.x + n.w / 2} y={n.y + 18}>{n.title}</text>
                <text class="detail" x={n.x + n.w / 2} y={n.y + 34}>{`${m.enrolled}: ${fmt.count(props.counts.enrolled)}`}</text>
              </>
            ) : n.kind === 'empty' ? (
              <text class="detail" x={n.x + n.w / 2} y={n.y + 15}>{n.title}</text>
            ) : (
              <>
                <title>{`${n.title} — ${n.detail}`}</title>
                <text class="title" x={n.x + n.w / 2} y={n.y + 18}>{clip(n.title, 24)}</text>
                <text class="detail" x={n.x + n.w / 2} y={n.y + 34}>{clip(n.detail, 28)}</text>
              </>
            )}
          </g>
        ))}
      </svg>
      <figcaption class="muted">{m.planNote}</figcaption>
    </figure>
  );
}
