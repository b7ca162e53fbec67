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
  csv: (row: R) => CsvValue;
  /** The HTML cell; default: the CSV value as text. */
  cell?: (row: R) => Child;
}

/** A table defined once and rendered both as HTML and as CSV, so every table on the dashboard can be exported. */
export interface TableSpec<R> {
  columns: Column<R>[];
  /** Attributes of each body row (e.g. `data-touch`), for people's bookmarks and for tests. */
  rowAttrs?: (row: R) => Record<string, string>;
}

/** The HTML table of a spec with a CSV download link above it; `empty` is shown instead when there are no rows. */
export function DataTable<R>(props: {
  ctx: PageContext; spec: TableSpec<R>; rows: R[]; csvHref?: string | undefined; empty?: string; id?: string;
  /** Smaller type and headings that wrap, for wide tables of figures. */
  compact?: boolean;
}) {
  const { rows } = props;
  const columns = props.spec.columns.filter((c) => !c.csvOnly);
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
              <tr {...(props.spec.rowAttrs?.(r) ?? {})}>
                {columns.map((c) => (
                  <td class={cls(c)} data-col={c.key}>{c.cell ? c.cell(r) : String(c.csv(r) ?? '')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
