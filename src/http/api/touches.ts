import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { ValidationError } from '../../errors';
import { issueDetails, httpError } from '../error-response';
import { parseCsv } from '../../staff/csv-rows';
import { logTouches, type RowProblem } from '../../staff/log-touches';
import { MAX_CSV_ROWS, TOUCH_CSV_COLUMNS, TouchInput } from '../../staff/touch-input';
import { readJson } from './validate';

/** CSV rows as touch inputs: the header names the columns; empty cells are absent; every row's problems are collected. */
export function touchesFromCsv(text: string): TouchInput[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new ValidationError('the CSV is empty: a header row and at least one row are needed', undefined, 'invalid_csv');
  const names = header.map((h) => h.trim());
  const unknown = names.filter((n) => !(TOUCH_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ValidationError(`unknown CSV column(s) ${unknown.join(', ')}; the columns are ${TOUCH_CSV_COLUMNS.join(', ')}`, { unknown }, 'invalid_csv');
  }
  if (rows.length === 0) throw new ValidationError('the CSV has a header but no rows', undefined, 'invalid_csv');
  if (rows.length > MAX_CSV_ROWS) throw new ValidationError(`at most ${MAX_CSV_ROWS} rows per import, got ${rows.length}`, undefined, 'invalid_csv');
  const problems: RowProblem[] = [];
  const inputs: TouchInput[] = [];
  for (const [i, cells] of rows.entries()) {
    const row = i + 1;
    if (cells.length > names.length) problems.push({ row, path: '', message: `${cells.length} cells for ${names.length} columns` });
    const record: Record<string, unknown> = {};
    names.forEach((name, j) => {
      const cell = (cells[j] ?? '').trim();
      if (cell === '') return;
      record[name] = name === 'value' && /^-?\d+([.,]\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : cell;
    });
    const parsed = TouchInput.safeParse(record);
    if (parsed.success) inputs.push(parsed.data);
    else problems.push(...issueDetails(parsed.error.issues).map((d) => ({ row, ...d })));
  }
  if (problems.length > 0) {
    const summary = problems.slice(0, 5).map((p) => `row ${p.row}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ');
    throw new ValidationError(`nothing was stored: ${problems.length} problem(s): ${summary}`, problems);
  }
  return inputs;
}

/**
 * `POST /touches`: logs a staff or offline touch (JSON, answered `201` with the touch and the enrollments it counts
 * in) or imports a CSV of them (`text/csv`, answered `201 {"imported", "touches"}`): every row is checked first, and
 * any bad row is a 422 listing each row's problems with nothing stored.
 */
export function touchRoutes(deps: EngineDeps): Hono {
  return new Hono().post('/', async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/csv') {
      const touches = await logTouches({ ...deps, engine: deps }, touchesFromCsv(await c.req.text()), { source: 'csv' });
      return c.json({ imported: touches.length, touches }, 201);
    }
    if (type !== '' && type !== 'application/json') {
      throw httpError(415, 'unsupported_media_type', 'send application/json (one touch) or text/csv (an import)');
    }
    const input = await readJson(c, TouchInput);
    const [touch] = await logTouches({ ...deps, engine: deps }, [input], { source: 'api', single: true });
    return c.json(touch, 201);
  });
}
