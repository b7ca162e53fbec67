import type { I18n } from '../i18n';
import type { PageContext } from '../layout';
import type { ExperimentsReport, HoldoutResult, SplitResult, SplitVariantResult } from '../experiments-data';
import { DataTable, type TableSpec } from './data-table';
import { numCol } from './funnel-tables';
import { isComparable, MIN_CONVERSIONS, MIN_PER_ARM } from '../../../analytics/experiment-stats';

/**
 * The analytics' small-sample note, said in the page's language: the API's `note` is English, so the dashboard
 * words it again from the groups it is about (the same thresholds).
 */
function sampleNote({ m, fmt }: I18n, note: string | undefined, groups: Array<{ n: number; converted: number }>): string {
  if (!note) return '';
  const fewest = Math.min(...groups.map((g) => g.n));
  const fewestConversions = Math.min(...groups.map((g) => g.converted));
  return m.smallSample
    .replace('{minN}', fmt.count(MIN_PER_ARM)).replace('{minC}', fmt.count(MIN_CONVERSIONS))
    .replace('{n}', fmt.count(fewest)).replace('{c}', fmt.count(fewestConversions));
}

/** One variant of one split, flattened for a table (the split's p-value and note repeat on each row of the CSV). */
export type SplitRow = SplitVariantResult & Pick<SplitResult, 'splitId' | 'pValue' | 'note'> & {
  firstOfSplit: boolean;
  /** Every variant of the split, for the note. */
  groups: Array<{ n: number; converted: number }>;
};

/** The split results as table rows, variants in the order given. */
export function splitRows(report: ExperimentsReport): SplitRow[] {
  return report.splits.flatMap((s) => {
    const groups = s.variants.map((v) => ({ n: v.enrolled, converted: v.converted }));
    return s.variants.map((v, i) => ({ ...v, splitId: s.splitId, pValue: s.pValue, note: s.note, firstOfSplit: i === 0, groups }));
  });
}

/**
 * Split variants: enrolled, converted, rate, probability of being best; the split's p-value and note on its first row.
 * Below the sample threshold a variant shows counts only (whatever the loader answered): no probability, and no p-value
 * unless two variants have enough data; a variant without enrollments has no rate.
 */
export function splitSpec(i18n: I18n): TableSpec<SplitRow> {
  const { m, fmt } = i18n;
  const pValue = (p: number | null) => (p === null ? '—' : fmt.decimal(Math.round(p * 1000) / 1000));
  const best = (r: SplitRow) => (isComparable({ n: r.enrolled, converted: r.converted }) ? r.probabilityBest : null);
  const shownP = (r: SplitRow) => (r.groups.filter(isComparable).length >= 2 ? r.pValue : null);
  return {
    rowAttrs: (r) => ({ 'data-split': `${r.splitId}.${r.variantId}` }),
    columns: [
      { key: 'splitId', head: m.split, csv: (r) => r.splitId, cell: (r) => <code>{r.splitId}</code> },
      { key: 'variantId', head: m.variant, csv: (r) => r.variantId, cell: (r) => <code>{r.variantId}</code> },
      numCol('enrolled', m.enrolled, (r) => r.enrolled, fmt.count),
      numCol('converted', m.converted, (r) => r.converted, fmt.count),
      numCol('rate', m.rate, (r) => (r.enrolled > 0 ? r.rate : null), fmt.percent),
      numCol('probabilityBest', m.probabilityBest, best, fmt.percent),
      { key: 'pValue', head: m.pValue, num: true, csv: (r) => shownP(r), cell: (r) => (r.firstOfSplit ? pValue(shownP(r)) : '') },
      { key: 'note', head: m.note, wrap: true, csv: (r) => sampleNote(i18n, r.note, r.groups), cell: (r) => (r.firstOfSplit ? sampleNote(i18n, r.note, r.groups) : '') },
    ],
  };
}

/** Holdouts: who got the touch against who was held out, the lift and its 95% interval. */
export function holdoutSpec(i18n: I18n): TableSpec<HoldoutResult> {
  const { m, fmt } = i18n;
  const signed = (n: number) => `${n > 0 ? '+' : ''}${fmt.percent(n)}`;
  return {
    rowAttrs: (h) => ({ 'data-holdout': h.touchId }),
    columns: [
      { key: 'touchId', head: m.touch, csv: (h) => h.touchId, cell: (h) => <code>{h.touchId}</code> },
      numCol('reachedN', `${m.reachedGroup}: n`, (h) => h.reached.n, fmt.count),
      numCol('reachedConverted', `${m.reachedGroup}: ${m.converted}`, (h) => h.reached.converted, fmt.count),
      numCol('reachedRate', `${m.reachedGroup}: ${m.rate}`, (h) => h.reached.rate, fmt.percent),
      numCol('heldOutN', `${m.heldOutGroup}: n`, (h) => h.heldOut.n, fmt.count),
      numCol('heldOutConverted', `${m.heldOutGroup}: ${m.converted}`, (h) => h.heldOut.converted, fmt.count),
      numCol('heldOutRate', `${m.heldOutGroup}: ${m.rate}`, (h) => h.heldOut.rate, fmt.percent),
      numCol('lift', m.lift, (h) => h.lift, signed),
      numCol('ci95Low', `${m.ci95} −`, (h) => h.ci95?.[0] ?? null, signed),
      numCol('ci95High', `${m.ci95} +`, (h) => h.ci95?.[1] ?? null, signed),
      { key: 'note', head: m.note, wrap: true, csv: (h) => sampleNote(i18n, h.note, [h.reached, h.heldOut]) },
    ],
  };
}

/** The split and holdout panels of a funnel page, each table with its CSV link; says so when nothing is computed. */
export function ExperimentsPanels(props: { ctx: PageContext; report: ExperimentsReport | null; csvHref: (table: 'splits' | 'holdouts') => string }) {
  const { ctx, report } = props;
  const { m } = ctx;
  return (
    <section id="experiments">
      <h2>{m.experimentsTitle}</h2>
      {report === null ? (
        <p class="muted" data-experiments="unavailable">{m.experimentsUnavailable}</p>
      ) : (
        <div class="panels">
          <div class="panel">
            <h3>{m.splitsTitle}</h3>
            <DataTable ctx={ctx} spec={splitSpec(ctx)} rows={splitRows(report)} csvHref={props.csvHref('splits')} empty={m.noSplits} />
          </div>
          <div class="panel">
            <h3>{m.holdoutsTitle}</h3>
            <DataTable ctx={ctx} spec={holdoutSpec(ctx)} rows={report.holdouts} csvHref={props.csvHref('holdouts')} empty={m.noHoldouts} />
          </div>
        </div>
      )}
    </section>
  );
}
