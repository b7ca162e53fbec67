import type { JourneyStats } from '../../../analytics/journeys';
import type { PageContext } from '../layout';
import { fill } from '../i18n';

const W = 720;
const H = 160;
const LEFT = 8;
const BOTTOM = 22;
const TOP = 8;

/**
 * Touches before purchase: the distribution of touches (every funnel, automated and staff) per conversion as SVG
 * bars, one per touch count from 0 to the most any buyer had, with the mean, the median and the share of each channel.
 */
export function JourneyPanel(props: { ctx: PageContext; journeys: JourneyStats }) {
  const { m, fmt } = props.ctx;
  const j = props.journeys;
  const most = Math.max(0, ...j.distribution.map((b) => b.touches));
  const byCount = new Map(j.distribution.map((b) => [b.touches, b]));
  const slots = most + 1;
  const slot = (W - LEFT) / slots;
  const tallest = Math.max(1, ...j.distribution.map((b) => b.conversions));
  const labelEvery = Math.max(1, Math.ceil(slots / 24));
  return (
    <section class="journeys" aria-labelledby="journeys-title">
      <h3 id="journeys-title">{m.journeyChartTitle}</h3>
      <p class="muted">{m.journeyNote}</p>
      {j.conversions === 0 ? <p class="muted">{m.journeyNone}</p> : (
        <>
          <p data-journey-summary="">{fill(m.journeySummary, {
            mean: fmt.decimal(j.meanTouches), median: fmt.count(j.medianTouches), automated: fmt.count(j.automatedTouches),
            staff: fmt.count(j.staffTouches), funnels: fmt.decimal(j.meanFunnels),
          })}</p>
          <svg class="journey-chart" role="img" aria-labelledby="journeys-title" viewBox={`0 0 ${W} ${H}`} width="100%" height={H} preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">
            {Array.from({ length: slots }, (_, n) => {
              const b = byCount.get(n);
              const h = b ? Math.max(2, (b.conversions / tallest) * (H - TOP - BOTTOM)) : 0;
              const x = LEFT + n * slot;
              return (
                <g data-touches={n} data-conversions={b?.conversions ?? 0}>
                  {b && <title>{fill(m.journeyBar, { touches: fmt.count(n), conversions: fmt.count(b.conversions), share: fmt.percent(b.share) })}</title>}
                  {b && <rect x={x + slot * 0.1} y={H - BOTTOM - h} width={Math.max(1, slot * 0.8)} height={h} />}
                  {n % labelEvery === 0 && <text x={x + slot / 2} y={H - 6} text-anchor="middle">{n}</text>}
                </g>
              );
            })}
          </svg>
          <p class="muted">{m.journeyChannels}: {j.byChannel.map((c, i) => (
            <>{i > 0 && ' · '}<span data-journey-channel={c.channel}>{c.channel} {fmt.percent(c.share)}</span></>
          ))}</p>
        </>
      )}
    </section>
  );
}
