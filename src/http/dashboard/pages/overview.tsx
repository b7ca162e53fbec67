import { Layout, type PageContext } from '../layout';
import { KpiTable, TouchTable, funnelHref, type FunnelKpis } from '../stats-tables';

/** Every funnel's KPIs, then each funnel's per-touch table. */
export function OverviewPage(props: { ctx: PageContext; funnels: FunnelKpis[] }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.overviewTitle}>
      <h1>{m.overviewTitle}</h1>
      {props.funnels.length === 0 ? (
        <p class="muted">{m.noFunnels}</p>
      ) : (
        <>
          <p class="muted">{m.allTime} · {m.model}</p>
          <KpiTable ctx={ctx} funnels={props.funnels} />
          {props.funnels.map((f) => (
            <section>
              <h2><a href={funnelHref(f.id)}>{f.name}</a> · {m.touches}</h2>
              <TouchTable ctx={ctx} touches={f.stats.touches} />
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}
