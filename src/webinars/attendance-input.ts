import { z } from 'zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { EmailAddress } from '../contacts/input';
import { normalizePhone } from '../contacts/phone';
import { ValidationError } from '../errors';

/** Who a record is about: the first present of contactId, externalId, email, phone. */
export type AttendanceIdentity = { contactId: string } | { externalId: string } | { email: string } | { phone: string };

/** One validated attendance record; `row` is its 1-based position (CSV: `line` is the file line, the header is line 1). */
export interface AttendanceRecord {
  row: number;
  line?: number;
  identity: AttendanceIdentity;
  joined: boolean;
  minutes?: number;
  stayedToOffer?: boolean;
}

/** A validated attendance report: the session start it is about (optional filter) and its records. */
export interface AttendanceReport {
  sessions?: number;
  records: AttendanceRecord[];
}

/** One reason a row was refused. */
export interface RowProblem {
  row: number;
  line?: number;
  path: string;
  message: string;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'да', 'д', '+']);
const FALSE = new Set(['false', 'no', 'n', '0', 'нет', 'н', '-']);

/** A yes/no as people and platforms write it: booleans, 1/0, true/false, yes/no, да/нет (any case). */
export const Flag = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const text = String(v).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a yes/no value (yes/no, true/false, да/нет, 1/0)` });
  return z.NEVER;
});

const Minutes = z.union([z.number(), z.string().trim().regex(/^\d+([.,]\d+)?$/, 'minutes is a number').transform((s) => Number(s.replace(',', '.')))])
  .pipe(z.number().finite().nonnegative('minutes must be 0 or more').max(100_000, 'minutes is too large'));

const PhoneText = z.string().transform((v, ctx) => {
  const e164 = normalizePhone(v);
  if (e164 === null) {
    ctx.addIssue({ code: 'custom', message: 'invalid phone number, e.g. +79161234567' });
    return z.NEVER;
  }
  return e164;
});

/** One record of the JSON body (also what each CSV row becomes). */
export const AttendanceRecordInput = z.object({
  contactId: z.string().min(1).max(200).optional(),
  externalId: z.string().min(1).max(200).optional(),
  email: EmailAddress.optional(),
  phone: PhoneText.optional(),
  joined: Flag,
  minutes: Minutes.optional(),
  stayedToOffer: Flag.optional(),
}).strict().refine((r) => r.contactId ?? r.externalId ?? r.email ?? r.phone, { message: 'one of contactId, externalId, email, phone is required' });

/** The JSON body: the records are checked one by one, so every bad row is reported at once. */
export const AttendanceBody = z.object({
  sessions: z.iso.datetime({ offset: true, message: 'sessions is the session start, an ISO 8601 date-time' }).optional(),
  records: z.array(z.unknown()).min(1, 'records must not be empty').max(20_000, 'at most 20000 records per request'),
}).strict();

const COLUMNS: Record<string, keyof z.input<typeof AttendanceRecordInput>> = {
  contact_id: 'contactId', contactid: 'contactId', external_id: 'externalId', externalid: 'externalId', email: 'email', phone: 'phone',
  joined: 'joined', minutes: 'minutes', stayed_to_offer: 'stayedToOffer', stayedtooffer: 'stayedToOffer',
};

/** Validates the records of a parsed JSON body (see AttendanceBody): 422 listing every bad row (`row` 1-based), else the report. */
export function attendanceFromJson(body: z.output<typeof AttendanceBody>, sessionsQuery?: string): AttendanceReport {
  return validateRecords(body.records.map((r, i) => ({ row: i + 1, value: r })), body.sessions ?? sessionsQuery);
}

/**
 * Validates a CSV attendance report with a header row (`email,joined,minutes,stayed_to_offer`; identity columns
 * `contact_id`, `external_id`, `email`, `phone`; "," or ";" separated): 422 listing every bad row with its line.
 */
export function attendanceFromCsv(text: string, sessionsQuery?: string): AttendanceReport {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parseCsv(text, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof rows;
  } catch (err) {
    throw new ValidationError(`the CSV cannot be read: ${(err as Error).message}`, [{ row: 0, path: '', message: (err as Error).message }]);
  }
  const [header, ...data] = rows;
  if (!header) throw new ValidationError('the CSV is empty: it needs a header row and at least one record', [{ row: 0, line: 1, path: '', message: 'empty file' }]);
  const names = header.record.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const unknown = names.filter((n) => !COLUMNS[n]);
  const headerProblems: RowProblem[] = unknown.map((n) => ({ row: 0, line: header.info.lines, path: n, message: `unknown column "${n}"; known: contact_id, external_id, email, phone, joined, minutes, stayed_to_offer` }));
  if (!names.includes('joined')) headerProblems.push({ row: 0, line: header.info.lines, path: 'joined', message: 'the header needs a "joined" column' });
  if (!names.some((n) => ['contact_id', 'contactid', 'external_id', 'externalid', 'email', 'phone'].includes(n))) {
    headerProblems.push({ row: 0, line: header.info.lines, path: '', message: 'the header needs an identity column: contact_id, external_id, email or phone' });
  }
  if (headerProblems.length) throw rowsFailure(headerProblems);
  if (data.length === 0) throw new ValidationError('the CSV has no records', [{ row: 0, line: header.info.lines, path: '', message: 'no records after the header' }]);
  const problems: RowProblem[] = [];
  const items = data.map(({ record, info }, i) => {
    if (record.length !== names.length) problems.push({ row: i + 1, line: info.lines, path: '', message: `expected ${names.length} fields, found ${record.length}` });
    const value: Record<string, string> = {};
    names.forEach((n, k) => { const cell = record[k]; if (cell !== undefined && cell !== '') value[COLUMNS[n]!] = cell; });
    return { row: i + 1, line: info.lines, value };
  });
  return validateRecords(items, sessionsQuery, problems);
}

function validateRecords(items: Array<{ row: number; line?: number; value: unknown }>, sessions: string | undefined, problems: RowProblem[] = []): AttendanceReport {
  const records: AttendanceRecord[] = [];
  const seen = new Map<string, number>();
  let sessionsAt: number | undefined;
  if (sessions !== undefined) {
    sessionsAt = z.iso.datetime({ offset: true }).safeParse(sessions).success ? Date.parse(sessions) : Number.NaN;
    if (Number.isNaN(sessionsAt)) throw new ValidationError('sessions is the session start, an ISO 8601 date-time with an offset', [{ path: 'sessions', message: 'not an ISO 8601 date-time' }]);
  }
  for (const { row, line, value } of items) {
    const at = { row, ...(line !== undefined && { line }) };
    const parsed = AttendanceRecordInput.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ ...at, path: issue.path.map(String).join('.'), message: issue.message });
      continue;
    }
    const r = parsed.data;
    const identity: AttendanceIdentity = r.contactId !== undefined ? { contactId: r.contactId } : r.externalId !== undefined ? { externalId: r.externalId }
      : r.email !== undefined ? { email: r.email.toLowerCase() } : { phone: r.phone! };
    const key = JSON.stringify(identity);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ ...at, path: Object.keys(identity)[0]!, message: `the same contact as row ${earlier}` });
      continue;
    }
    seen.set(key, row);
    records.push({ ...at, identity, joined: r.joined, ...(r.minutes !== undefined && { minutes: r.minutes }), ...(r.stayedToOffer !== undefined && { stayedToOffer: r.stayedToOffer }) });
  }
  if (problems.length) throw rowsFailure(problems);
  return { ...(sessionsAt !== undefined && { sessions: sessionsAt }), records };
}

function rowsFailure(problems: RowProblem[]): ValidationError {
  const rows = [...new Set(problems.map((p) => p.row))];
  const shown = problems.slice(0, 5).map((p) => `${p.row === 0 ? 'header' : `row ${p.row}`}${p.path ? ` ${p.path}` : ''}: ${p.message}`).join('; ');
  const summary = rows.length === 1 && rows[0] === 0 ? 'the header is invalid' : `${rows.filter((r) => r > 0).length} invalid row(s)`;
  return new ValidationError(`nothing was recorded: ${summary} — ${shown}${problems.length > 5 ? '; …' : ''}`, problems);
}
