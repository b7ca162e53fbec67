import { Layout, type PageContext } from '../layout';
import { KpiTable, TouchTable, funnelHref, type FunnelKpis } from '../stats-tables';

/** The date range as typed (YYYY-MM-DD or empty) and whether any part of it was rejected. */
export interface RangeInput {
  from: string;
  to: string;
  invalid: boolean;
}

/** One funnel's KPIs and per-touch table over an optional date range. */
export function FunnelPage(props: { ctx: PageContext; funnel: FunnelKpis; timezone: string; goal: string; range: RangeInput }) {
  const { ctx, funnel, range } = props;
  const { m } = ctx;
  const href = funnelHref(funnel.id);
  return (
    <Layout ctx={ctx} title={funnel.name}>
      <p><a href="/dashboard">{m.allFunnels}</a></p>
      <h1>{funnel.name}</h1>
      <p class="muted">
        <code>{funnel.id}</code> · {m.version} <code>{funnel.version.slice(0, 12)}</code> · {m.goal}: <code>{props.goal}</code> · {m.model}
      </p>
      <form class="inline" method="get" action={href}>
        <label>{m.from}<input type="date" name="from" value={range.from} /></label>
        <label>{m.to}<input type="date" name="to" value={range.to} /></label>
        <button type="submit">{m.apply}</button>
        {(range.from || range.to) && <a href={href}>{m.reset}</a>}
        <span class="muted">{m.zoneNote}: {props.timezone}</span>
      </form>
      {range.invalid && <p class="error" role="alert">{m.badDate}</p>}
      <KpiTable ctx={ctx} funnels={[funnel]} />
      <h2>{m.touches}</h2>
      <TouchTable ctx={ctx} touches={funnel.stats.touches} />
    </Layout>
  );
}
