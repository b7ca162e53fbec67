import type { ConversionSeries } from '../data/conversion-series';
import type { PageContext } from '../layout';
import { fill } from '../i18n';

const W = 900;
const H = 180;
const BOTTOM = 22;
const TOP = 14;

/**
 * Conversions over time as SVG bars, one per day (or week) of the funnel's zone, each with its count and revenue in
 * its tooltip; dates in the page language's format, the first, last and a few between labelled.
 */
export function ConversionsChart(props: { ctx: PageContext; series: ConversionSeries }) {
  const { m, fmt } = props.ctx;
  const { points, unit } = props.series;
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`); // the funnel zone's calendar day, kept as a UTC date
  const show = (date: string) => fmt.dayMonth(day(date));
  const slot = W / Math.max(1, points.length);
  const tallest = Math.max(1, ...points.map((p) => p.converted));
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const total = points.reduce((a, p) => a + p.converted, 0);
  return (
    <section class="conversions" aria-labelledby="conversions-title">
      <h3 id="conversions-title">{m.conversionsChartTitle}</h3>
      {total === 0 ? <p class="muted">{m.conversionsNone}</p> : (
        <figure class="chart">
          <svg class="conversions-chart" role="img" aria-labelledby="conversions-title" viewBox={`0 0 ${W} ${H}`} width="100%" height={H} preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">
            {points.map((p, i) => {
              const h = p.converted > 0 ? Math.max(2, (p.converted / tallest) * (H - TOP - BOTTOM)) : 0;
              const x = i * slot;
              return (
                <g data-date={p.date} data-converted={p.converted}>
                  <title>{fill(m.conversionsBar, { date: fmt.date(day(p.date)), converted: fmt.count(p.converted), revenue: fmt.money(p.revenue) })}</title>
                  <rect class="track" x={x + slot * 0.1} y={TOP} width={Math.max(1, slot * 0.8)} height={H - TOP - BOTTOM} />
                  {h > 0 && <rect x={x + slot * 0.1} y={H - BOTTOM - h} width={Math.max(1, slot * 0.8)} height={h} />}
                  {(i % labelEvery === 0 || i === points.length - 1) && <text x={x + slot / 2} y={H - 6} text-anchor="middle">{show(p.date)}</text>}
                </g>
              );
            })}
          </svg>
          <figcaption class="muted">{fill(unit === 'week' ? m.conversionsByWeek : m.conversionsByDay, { total: fmt.count(total) })}</figcaption>
        </figure>
      )}
    </section>
  );
}
