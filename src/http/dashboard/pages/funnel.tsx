import type { AttributionModel } from '../../../analytics/funnel-stats';
import type { Plan } from '../../../dsl/plan';
import { Layout, type PageContext } from '../layout';
import type { RangeInput } from '../date-range';
import type { ExperimentsReport } from '../experiments-data';
import { reasonCounts, type FunnelKpis } from '../data/funnel-data';
import type { FlowCounts } from '../data/plan-flow';
import { DataTable } from '../components/data-table';
import { kpiSpec, reasonsSpec, touchSpec } from '../components/funnel-tables';
import { FunnelChart } from '../components/funnel-chart';
import { PlanDrawing } from '../components/plan-drawing';
import { ExperimentsPanels } from '../components/experiments-panels';
import { ModelSwitcher, RangeForm } from '../components/funnel-controls';
import { funnelHref, hrefWith } from '../query';
import { DraftBadge, RefusalBanner } from '../components/refusal-banner';
import { testSendColumn, type TestSendColumn } from '../components/test-send-form';
import { staffSpec } from '../components/staff-tables';
import type { StaffMemberStats } from '../../../analytics/staff-stats';
import type { Refusal } from '../../../engine/registry';
import type { ReferralStats } from '../../../referrals/referral-stats';
import { ReferralsPanel } from '../components/referrals-panel';
import { AnswersPanel } from '../components/answers-panel';
import type { FunnelAnswers } from '../../../analytics/answer-stats';
import { VersionsPanel, type VersionsView } from '../components/versions-panel';
import type { FunnelMoney } from '../../../money/funnel-money';
import { MoneyPanel } from '../components/money-panel';
import { touchesOf } from '../../../dsl/plan';
import type { JourneyStats } from '../../../analytics/journeys';
import { JourneyPanel } from '../components/journey-panel';
import type { ConversionSeries } from '../data/conversion-series';
import { ConversionsChart } from '../components/conversions-chart';

/** Everything the funnel page shows. */
export interface FunnelView {
  funnel: FunnelKpis;
  plan: Plan;
  model: AttributionModel;
  badModel: boolean;
  range: RangeInput;
  flow: FlowCounts;
  /** The funnel's money over the range under the model: shown first. */
  money: FunnelMoney;
  experiments: ExperimentsReport | null;
  /** What of this funnel (or a funnel clashing with it) was refused at start. */
  refusals: Refusal[];
  /** Set when the engine's channels are at hand: each touch row gets a "send a test" form. */
  testSend?: TestSendColumn | undefined;
  /** The outcome of the last test send (after its redirect). */
  notice?: { ok: boolean; text: string } | undefined;
  /** Referrals made, signed up and converted (all time). */
  referrals?: ReferralStats | undefined;
  /** Answers to the funnel's asks (NPS, quizzes, questions) over the range; absent when the funnel asks nothing. */
  answers?: FunnelAnswers | undefined;
  /** The versions panel (versions in flight, migration preview and progress); the stats may be of one version. */
  versions?: VersionsView | undefined;
  /** Conversions per day (or week) of the range, in the funnel's zone. */
  series?: ConversionSeries | undefined;
  /** Touches (every funnel, automated and staff) before the purchases of the range. */
  journeys?: JourneyStats | undefined;
  /** Per staff member: touches logged in this funnel, credit, speed to lead. */
  staff?: StaffMemberStats[] | undefined;
}

/** What the customer saw of each touch: an email's subject, else the first line of its text. */
export function touchSubjects(plan: Plan): Map<string, string> {
  return new Map(touchesOf(plan.steps).flatMap((t) => {
    const step = t as { subject?: unknown; text?: unknown; title?: unknown };
    const line = [step.subject, step.title, step.text].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return line ? [[t.id, line.split('\n')[0]!.slice(0, 80)]] : [];
  }));
}

/** One funnel: money first, KPIs, the step chart, per-touch and reasons tables, the plan drawing and experiments, for a model and a range. */
export function FunnelPage(props: { ctx: PageContext; view: FunnelView }) {
  const { ctx } = props;
  const { funnel, plan, model, range } = props.view;
  const { m } = ctx;
  const path = funnelHref(funnel.id);
  const csv = (table: string, withModel = false) =>
    hrefWith(`${path}/${table}.csv`, { model: withModel ? model : undefined, from: range.from, to: range.to });
  const touches = funnel.stats.touches;
  const subjects = touchSubjects(plan);
  const touchTable = touchSpec(ctx, subjects);
  if (props.view.testSend) touchTable.columns.push(testSendColumn(ctx, props.view.testSend));
  const notice = props.view.notice;
  return (
    <Layout ctx={ctx} title={funnel.name}>
      <p><a href="/dashboard">{m.allFunnels}</a></p>
      <RefusalBanner ctx={ctx} refusals={props.view.refusals} scope="funnel" />
      <h1>{funnel.name}<DraftBadge ctx={ctx} draft={funnel.draft} /></h1>
      {funnel.draft && <p class="muted" data-draft-note>{m.draftNote}</p>}
      <p class="muted">
        <code>{funnel.id}</code> · {m.version} <code>{funnel.version.slice(0, 12)}</code> · {m.goal}: <code>{plan.goal.event}</code>
      </p>
      <p><a class="preview" href={`${path}/preview`}>▶ {m.previewLink}</a></p>
      <RangeForm ctx={ctx} path={path} model={model} range={range} timezone={plan.timezone} />
      <ModelSwitcher ctx={ctx} path={path} model={model} range={range} />
      {props.view.badModel && <p class="error" role="alert">{m.badModel}</p>}
      <MoneyPanel ctx={ctx} money={props.view.money} converted={funnel.stats.converted} subjects={subjects} />
      {props.view.series && <ConversionsChart ctx={ctx} series={props.view.series} />}
      {props.view.journeys && <JourneyPanel ctx={ctx} journeys={props.view.journeys} />}
      <DataTable ctx={ctx} spec={kpiSpec(ctx)} rows={[funnel]} />
      <h2>{m.chartTitle}</h2>
      <FunnelChart ctx={ctx} stats={funnel.stats} plan={plan} />
      <h2>{m.touches}{props.view.versions?.statsVersion && <> · <code data-stats-of={props.view.versions.statsVersion}>{props.view.versions.statsVersion}</code></>}</h2>
      {notice && <p class={notice.ok ? 'notice' : 'error'} role="status" data-test-send={notice.ok ? 'sent' : 'failed'}>{notice.text}</p>}
      <DataTable ctx={ctx} id="touches" spec={touchTable} compact rows={touches} csvHref={csv('touches', true)} empty={m.noTouches} />
      <h2>{m.staffTitle}</h2>
      <DataTable ctx={ctx} id="staff" spec={staffSpec(ctx)} rows={props.view.staff ?? []} csvHref={csv('staff', true)} empty={m.noStaff} />
      <h2>{m.reasonsTitle}</h2>
      <DataTable ctx={ctx} spec={reasonsSpec(ctx)} rows={reasonCounts(touches)} csvHref={csv('reasons')} empty={m.noReasons} />
      <h2>{m.planTitle}</h2>
      <PlanDrawing ctx={ctx} plan={plan} counts={props.view.flow} />
      <ExperimentsPanels ctx={ctx} report={props.view.experiments} csvHref={(t) => csv(t)} />
      {props.view.answers && <AnswersPanel ctx={ctx} answers={props.view.answers} />}
      {props.view.referrals && <ReferralsPanel ctx={ctx} stats={props.view.referrals} csvHref={`${path}/referrals.csv`} />}
      {props.view.versions && <VersionsPanel ctx={ctx} path={path} view={props.view.versions} />}
    </Layout>
  );
}
