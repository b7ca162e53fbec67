import { ValidationError } from '../errors';

/**
 * RFC 4180 CSV text as rows of cells: commas (or semicolons, as spreadsheets in Russian locales save, when the header
 * has no comma), double-quoted cells with `""` for a quote and line breaks inside, CRLF or LF, a leading BOM ignored.
 * Blank lines are skipped. An unterminated quote is a 422.
 */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    cell = '';
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i += 1; continue; }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) { row.push(cell); cell = ''; }
    else if (ch === '\n') endRow();
    else if (ch !== '\r') cell += ch;
    i += 1;
  }
  if (quoted) throw new ValidationError('the CSV has an unterminated quoted cell', undefined, 'invalid_csv');
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}
