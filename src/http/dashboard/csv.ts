import type { Context } from 'hono';
import { stringify } from 'csv-stringify/sync';
import type { CsvValue, TableSpec } from './components/data-table';

// A text cell starting with these makes spreadsheets evaluate it as a formula (CSV injection); phone numbers and
// signed figures written as text ("+7 900 …", "-5") are left alone.
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/** A CSV cell as written: numbers unformatted, formula-like text neutralised with a leading apostrophe. */
export function csvCell(value: CsvValue): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return FORMULA.test(value) ? `'${value}` : value;
}

/** The CSV text of a table: a UTF-8 byte-order mark (so Excel reads Cyrillic), a header of column keys, one line per row. */
export function csvText<R>(spec: TableSpec<R>, rows: R[]): string {
  const columns = spec.columns.filter((c) => !c.htmlOnly);
  const records = [columns.map((c) => c.key), ...rows.map((r) => columns.map((c) => csvCell(c.csv(r))))];
  return `\uFEFF${stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ })}`;
}

/** A CSV download response (`Content-Disposition: attachment`) for a table. */
export function csvResponse<R>(c: Context, filename: string, spec: TableSpec<R>, rows: R[]): Response {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return c.body(csvText(spec, rows));
}
