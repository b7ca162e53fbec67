import { z } from 'zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError } from '../errors';
import { Currency, DEFAULT_CURRENCY, toMinor } from './minor-units';

/** An amount of money in major units with at most two decimals: a JSON number, or text such as `1500.50` / `1 500,50`. */
export const MoneyAmount = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = typeof v === 'number' ? String(v) : v.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m || (typeof v === 'number' && !Number.isFinite(v))) {
    ctx.addIssue({ code: 'custom', message: 'amount is a sum of money of 0 or more with at most two decimals, e.g. 1500.50' });
    return z.NEVER;
  }
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
});

const IsoDay = z.iso.date({ message: 'date is a day, YYYY-MM-DD' });

/** One spend row as `POST /api/spend` takes it (each CSV row too): the amount in major units, stored in minor units. */
export const SpendRowInput = z.object({
  source: z.string().trim().min(1, 'source must not be empty').max(200).transform((s) => s.toLowerCase()),
  campaign: z.string().trim().min(1).max(200).optional(),
  funnelId: z.string().trim().min(1).max(200).optional(),
  date: IsoDay,
  amount: MoneyAmount,
  currency: z.string().trim().toUpperCase().pipe(Currency).optional(),
}).strict();

/** The JSON body: `{rows: [...]}` with up to 1,000 rows (more as CSV), or one row (checked row by row afterwards). */
export const SpendBody = z.union([
  z.object({ rows: z.array(z.unknown()).min(1, 'rows must not be empty').max(1000, 'at most 1000 rows per JSON request (send more as CSV)') }).strict(),
  z.object({ source: z.unknown() }).passthrough(),
]);

/** A row to check: its position and what was sent; `problem` when the CSV line itself is malformed. */
export interface SpendItem {
  row: number;
  line?: number;
  value: unknown;
  problem?: string;
}

/** A checked spend row: minor units, the currency filled in. */
export interface SpendEntry {
  source: string;
  campaign: string | null;
  funnelId: string | null;
  day: string;
  amountMinor: number;
  currency: string;
}

/** One reason a row was refused; `row` is 1-based, `line` the CSV file line. */
export interface SpendProblem {
  row: number;
  line?: number;
  path: string;
  message: string;
}

const COLUMNS: Record<string, keyof z.input<typeof SpendRowInput>> = {
  source: 'source', utm_source: 'source', campaign: 'campaign', utm_campaign: 'campaign', funnel_id: 'funnelId', funnelid: 'funnelId',
  date: 'date', day: 'date', amount: 'amount', currency: 'currency',
};

/** Checks every row (nothing is stored unless all pass): 422 `validation_failed` listing each bad row, else the entries. */
export function checkSpendRows(items: readonly SpendItem[], funnelIds: ReadonlySet<string>): SpendEntry[] {
  const problems: SpendProblem[] = [];
  const entries: SpendEntry[] = [];
  for (const { row, line, value, problem } of items) {
    const at = { row, ...(line !== undefined && { line }) };
    if (problem) problems.push({ ...at, path: '', message: problem });
    const parsed = SpendRowInput.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ ...at, path: issue.path.map(String).join('.'), message: issue.message });
      continue;
    }
    const r = parsed.data;
    if (r.funnelId !== undefined && !funnelIds.has(r.funnelId)) {
      problems.push({ ...at, path: 'funnelId', message: `unknown funnel "${r.funnelId}"` });
      continue;
    }
    entries.push({ source: r.source, campaign: r.campaign ?? null, funnelId: r.funnelId ?? null, day: r.date, amountMinor: r.amount, currency: r.currency ?? DEFAULT_CURRENCY });
  }
  if (problems.length > 0) {
    throw new ValidationError(`${problems.length} problem(s) in the spend rows; nothing was stored: ${problems.slice(0, 5).map((p) => `row ${p.row} ${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  return entries;
}

/** The rows of a parsed JSON body. */
export function spendItemsFromJson(body: z.output<typeof SpendBody>): SpendItem[] {
  const rows: unknown[] = 'rows' in body && Array.isArray(body.rows) ? body.rows : [body];
  return rows.map((value, i) => ({ row: i + 1, value }));
}

/** The rows of a CSV with a header (`source,campaign,date,amount,currency`; "," or ";" separated); blank cells are absent. */
export function spendItemsFromCsv(text: string): SpendItem[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parseCsv(text, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof rows;
  } catch (err) {
    throw new ValidationError(`the CSV cannot be read: ${(err as Error).message}`, [{ row: 0, path: '', message: (err as Error).message }]);
  }
  const [header, ...data] = rows;
  if (!header || data.length === 0) throw new ValidationError('the CSV needs a header row and at least one row', [{ row: 0, line: 1, path: '', message: 'no rows' }]);
  const names = header.record.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const unknown = names.filter((n) => !COLUMNS[n]);
  if (unknown.length > 0) {
    throw new ValidationError(`unknown column(s) ${unknown.join(', ')}; known: source, campaign, funnel_id, date, amount, currency`,
      unknown.map((n) => ({ row: 0, line: header.info.lines, path: n, message: `unknown column "${n}"` })));
  }
  return data.map(({ record, info }, i) => {
    const value: Record<string, string> = {};
    names.forEach((n, k) => { const cell = record[k]; if (cell !== undefined && cell !== '') value[COLUMNS[n]!] = cell; });
    const problem = record.length !== names.length ? `expected ${names.length} fields, found ${record.length}` : undefined;
    return { row: i + 1, line: info.lines, value, ...(problem && { problem }) };
  });
}
