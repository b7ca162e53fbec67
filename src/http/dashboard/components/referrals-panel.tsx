import type { I18n } from '../i18n';
import type { PageContext } from '../layout';
import type { ReferralStats, TopReferrer } from '../../../referrals/referral-stats';
import { contactHref } from '../query';
import { DataTable, type TableSpec } from './data-table';
import { numCol } from './funnel-tables';

/** The funnel's referral figures, one row. */
export function referralSpec({ m, fmt }: I18n): TableSpec<ReferralStats> {
  return {
    columns: [
      numCol('made', m.referralsMade, (r) => r.made, fmt.count),
      numCol('signedUp', m.referralsSignedUp, (r) => r.signedUp, fmt.count),
      numCol('converted', m.referralsConverted, (r) => r.converted, fmt.count),
      numCol('revenue', m.referralsRevenue, (r) => r.revenue, fmt.money),
    ],
  };
}

/** The funnel's members who brought the most contacts. */
export function topReferrerSpec({ m, fmt }: I18n): TableSpec<TopReferrer> {
  return {
    rowAttrs: (r) => ({ 'data-referrer': r.contactId }),
    columns: [
      { key: 'contactId', head: m.personName, csv: (r) => r.contactId, cell: (r) => <a href={contactHref(r.contactId)}>{r.name ?? r.contactId}</a> },
      numCol('referred', m.referred, (r) => r.referred, fmt.count),
      numCol('converted', m.referralsConverted, (r) => r.converted, fmt.count),
    ],
  };
}

/** Referrals on the funnel page: made, signed up, converted, revenue (all time), and the top referrers. */
export function ReferralsPanel(props: { ctx: PageContext; stats: ReferralStats; csvHref: string }) {
  const { ctx, stats } = props;
  return (
    <section id="referrals">
      <h2>{ctx.m.referralsTitle}</h2>
      <p class="muted">{ctx.m.referralsNote}</p>
      <DataTable ctx={ctx} spec={referralSpec(ctx)} rows={[stats]} csvHref={props.csvHref} />
      <h3>{ctx.m.topReferrers}</h3>
      <DataTable ctx={ctx} spec={topReferrerSpec(ctx)} rows={stats.topReferrers} empty={ctx.m.noReferrers} />
    </section>
  );
}
