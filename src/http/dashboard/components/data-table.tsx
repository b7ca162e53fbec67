import type { Child } from 'hono/jsx';
import type { PageContext } from '../layout';

/** A CSV cell: numbers stay numbers (unformatted), null and undefined become empty. */
export type CsvValue = string | number | boolean | null | undefined;

/** One column: a stable machine key (the CSV header and the cell's `data-col`), its heading, and its values. */
export interface Column<R> {
  key: string;
  head: string;
  /** Right-aligned, tabular figures. */
  num?: boolean;
  /** A wide column whose text may wrap. */
  wrap?: boolean;
  /** Only in the CSV file (the page shows the value inside another column). */
  csvOnly?: boolean;
  /** Only on the page (an action, not data). */
  htmlOnly?: boolean;
  /** A rare figure: on the page it folds into the row's detail row (a labelled cell), in the CSV it is a column. */
  detail?: boolean;
  csv: (row: R) => CsvValue;
  /** The HTML cell; default: the CSV value as text. */
  cell?: (row: R) => Child;
}

/** A table defined once and rendered both as HTML and as CSV, so every table on the dashboard can be exported. */
export interface TableSpec<R> {
  columns: Column<R>[];
  /** Attributes of each body row (e.g. `data-touch`), for people's bookmarks and for tests. */
  rowAttrs?: (row: R) => Record<string, string>;
  /** The page's column order when it differs from the CSV's: these keys first, in this order, then the rest. */
  htmlOrder?: readonly string[];
}

/** The detail row's attributes: each `data-x` of its row as `data-x-detail`. */
function detailAttrs(attrs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`${k}-detail`, v]));
}

/**
 * The HTML table of a spec with a CSV download link above it; `empty` is shown instead when there are no rows. A spec
 * with `detail` columns gets a second, folded row under each row (`data-<x>-detail`): its rare figures, labelled.
 */
export function DataTable<R>(props: {
  ctx: PageContext; spec: TableSpec<R>; rows: R[]; csvHref?: string | undefined; empty?: string; id?: string;
  /** Smaller type and headings that wrap, for wide tables of figures. */
  compact?: boolean;
}) {
  const { rows } = props;
  const shown = props.spec.columns.filter((c) => !c.csvOnly);
  const rank = (c: Column<R>) => { const i = props.spec.htmlOrder?.indexOf(c.key) ?? -1; return i < 0 ? Number.MAX_SAFE_INTEGER : i; };
  const columns = shown.filter((c) => !c.detail).map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
  const details = shown.filter((c) => c.detail);
  if (rows.length === 0 && props.empty !== undefined) return <p class="muted">{props.empty}</p>;
  const cls = (c: Column<R>) => [c.num ? 'num' : '', c.wrap ? 'wrap' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="table-block" id={props.id}>
      {props.csvHref && (
        <p class="tools"><a class="csv" href={props.csvHref} download>{props.ctx.m.csv} ⤓</a></p>
      )}
      <div class="scroll">
        <table class={props.compact ? 'compact' : undefined}>
          <thead>
            <tr>{columns.map((c) => <th class={cls(c)} scope="col">{c.head}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <>
                <tr {...(props.spec.rowAttrs?.(r) ?? {})} class={details.length > 0 ? 'has-detail' : undefined}>
                  {columns.map((c) => (
                    <td class={cls(c)} data-col={c.key}>{c.cell ? c.cell(r) : String(c.csv(r) ?? '')}</td>
                  ))}
                </tr>
                {details.length > 0 && (
                  <tr {...detailAttrs(props.spec.rowAttrs?.(r) ?? {})} class="detail">
                    <td colspan={columns.length}><table class="detail"><tbody><tr>
                      {details.map((c) => (
                        <td data-label={c.htmlOnly ? undefined : c.head} class={c.num ? 'num' : undefined} data-col={c.key}>{c.cell ? c.cell(r) : String(c.csv(r) ?? '')}</td>
                      ))}
                    </tr></tbody></table></td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
