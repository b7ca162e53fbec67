import { Layout, type PageContext } from '../layout';
import { DataTable } from '../components/data-table';
import { kpiSpec, touchSpec } from '../components/funnel-tables';
import { ContactSearchForm } from '../components/contact-search-form';
import type { FunnelKpis } from '../data/funnel-data';
import { funnelHref } from '../query';
import { RefusalBanner } from '../components/refusal-banner';
import type { Refusal } from '../../../engine/registry';

/** The contact search, every funnel's KPIs, then each funnel's per-touch table (last-touch credit, all time). */
export function OverviewPage(props: { ctx: PageContext; funnels: FunnelKpis[]; refusals: Refusal[] }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.overviewTitle}>
      <h1>{m.overviewTitle}</h1>
      <RefusalBanner ctx={ctx} refusals={props.refusals} scope="all" />
      <ContactSearchForm ctx={ctx} />
      {props.funnels.length === 0 ? (
        <p class="muted">{m.noFunnels}</p>
      ) : (
        <>
          <p class="muted">{m.allTime} · {m.model}: {m.model_last_touch}</p>
          <DataTable ctx={ctx} spec={kpiSpec(ctx)} rows={props.funnels} csvHref="/dashboard/funnels.csv" />
          {props.funnels.map((f) => (
            <section>
              <h2><a href={funnelHref(f.id)}>{f.name}</a>{f.draft && <span class="badge draft" data-draft="true">{m.draft}</span>} · {m.touches}</h2>
              <DataTable ctx={ctx} spec={touchSpec(ctx)} compact rows={f.stats.touches} empty={m.noTouches}
                csvHref={`${funnelHref(f.id)}/touches.csv`} />
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}
