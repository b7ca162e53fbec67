import type { StaffMemberStats } from '../../../analytics/staff-stats';
import type { TimelineEntry } from '../data/timeline-data';
import { labelOf, type I18n } from '../i18n';
import type { PageContext } from '../layout';
import type { TableSpec } from './data-table';
import { TimeCell } from './time-cell';

/** Per staff member: touches logged (by kind), conversions credited under the model, leads and speed to lead. */
export function staffSpec({ m, fmt }: I18n): TableSpec<StaffMemberStats> {
  const ms = (v: number | null) => (v === null ? '—' : fmt.duration(Math.max(v, 1000)));
  return {
    rowAttrs: (s) => ({ 'data-staff': s.by }),
    columns: [
      { key: 'by', head: m.staffMember, csv: (s) => s.by },
      { key: 'touches', head: m.staffTouches, num: true, csv: (s) => s.touches, cell: (s) => fmt.count(s.touches) },
      { key: 'byKind', head: m.staffKinds, wrap: true, csv: (s) => Object.entries(s.byKind).map(([k, n]) => `${k}:${n}`).join(' '),
        cell: (s) => Object.entries(s.byKind).map(([k, n]) => `${labelOf(m, 'kind_', k)} ${fmt.count(n)}`).join(', ') },
      { key: 'conversions', head: m.staffConversions, num: true, csv: (s) => s.conversions, cell: (s) => fmt.decimal(s.conversions) },
      { key: 'revenue', head: m.revenue, num: true, csv: (s) => s.revenue, cell: (s) => fmt.money(s.revenue) },
      { key: 'leads', head: m.staffLeads, num: true, csv: (s) => s.leads, cell: (s) => fmt.count(s.leads) },
      { key: 'speedToLeadMedianMs', head: m.speedToLead, num: true, csv: (s) => s.speedToLeadMedianMs, cell: (s) => ms(s.speedToLeadMedianMs) },
      { key: 'speedToLeadMeanMs', head: m.speedToLeadMean, num: true, csv: (s) => s.speedToLeadMeanMs, cell: (s) => ms(s.speedToLeadMeanMs) },
    ],
  };
}

const JOURNEY_KINDS = new Set(['enrolled', 'sent', 'staff_touch', 'conversion']);

/** The whole journey across funnels, in order: each entry into a funnel, each touch that reached the contact (sent or staff), each purchase. */
export function Journey(props: { ctx: PageContext; timeline: TimelineEntry[]; zone: string }) {
  const { m, fmt } = props.ctx;
  const steps = props.timeline.filter((e) => JOURNEY_KINDS.has(e.kind));
  if (steps.length === 0) return <p class="muted">{m.noTimeline}</p>;
  return (
    <ol class="journey" data-journey="">
      {steps.map((e) => (
        <li data-step={e.kind} data-funnel={e.funnelId ?? ''} data-touch={e.touchId ?? ''}>
          <TimeCell ms={e.at} zone={props.zone} fmt={fmt} />{' '}
          {e.funnelId && <span class="badge">{e.funnelId}</span>}{' '}
          {e.kind === 'enrolled' && m.ev_enrolled}
          {e.kind === 'sent' && <><code>{e.touchId}</code> ({e.channel})</>}
          {e.kind === 'staff_touch' && <>{labelOf(m, 'kind_', e.touchId ?? '')} · {e.details}</>}
          {e.kind === 'conversion' && <strong>{m.ev_conversion}{e.value !== null && e.value !== 0 && <> · {fmt.money(e.value)}</>}</strong>}
        </li>
      ))}
    </ol>
  );
}
