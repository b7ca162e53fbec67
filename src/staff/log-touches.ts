import type { Db } from '../db/database';
import type { EnrollmentRow, LoggedTouchRow } from '../db/schema';
import type { FunnelRegistry } from '../engine/registry';
import { newId } from '../db/ids';
import { insertLoggedTouches } from '../db/logged-touches';
import { recordLoggedTouch, type LoggedDelivery } from '../db/deliveries';
import { reattributeSince } from '../analytics/reattribute';
import { NotFoundError, ValidationError } from '../errors';
import { FUTURE_SKEW_MS, type TouchInput } from './touch-input';
import type { EngineDeps } from '../engine/deps';
import { ingestEvent } from '../engine/ingest-event';

/** What logging touches needs. */
export interface LogTouchesDeps {
  db: Db;
  funnels: FunnelRegistry;
  now: () => number;
  /** The engine, to announce each logged touch as the event `staff.<kind>`; without it (a read-only dashboard) nothing is announced. */
  engine?: EngineDeps | undefined;
}

/** The event a logged touch is announced as: `staff.call`, `staff.meeting`, … (a funnel can wait for it, branch on it, start on it). */
export const staffEventName = (kind: string) => `staff.${kind}`;

/** One problem of one input row (`row` counts from 1; in a CSV, data rows after the header). */
export interface RowProblem {
  row: number;
  path: string;
  message: string;
}

/** A logged touch as the API answers it, with the enrollments whose ledger it entered. */
export interface LoggedTouch {
  id: string;
  contactId: string;
  funnelId: string | null;
  kind: string;
  by: string;
  at: string;
  outcome: string | null;
  notes: string | null;
  value: number | null;
  /** Each enrollment the touch counts in (its stats, its attribution). */
  ledger: Array<{ funnelId: string; enrollmentId: string; deliveryId: string }>;
}

interface Planned {
  row: LoggedTouchRow;
  enrollments: EnrollmentRow[];
}

/**
 * Whether enrollment `e` was open at `at`: started by then, not yet ended or converted. A touch logged without a funnel
 * counts in every such enrollment of the contact.
 */
const openAt = (e: EnrollmentRow, at: number) =>
  Number(e.enrolled_at) <= at && (e.finished_at === null || Number(e.finished_at) >= at) && (e.converted_at === null || Number(e.converted_at) >= at);

async function plan(deps: LogTouchesDeps, input: TouchInput, rowNo: number, source: string, problems: RowProblem[]): Promise<Planned | undefined> {
  const now = deps.now();
  const at = input.at === undefined ? now : Date.parse(input.at);
  const problem = (path: string, message: string, notFound?: NotFoundError) => {
    problems.push({ row: rowNo, path, message });
    return notFound;
  };
  if (at > now + FUTURE_SKEW_MS) problem('at', 'at is in the future');
  const contact = await deps.db.selectFrom('contacts').select(['id', 'erased_at']).where('id', '=', input.contactId).executeTakeFirst();
  if (!contact || contact.erased_at !== null) return void problem('contactId', `contact ${JSON.stringify(input.contactId)} not found`);
  if (input.funnelId !== undefined && !deps.funnels.get(input.funnelId)) {
    return void problem('funnelId', `funnel ${JSON.stringify(input.funnelId)} not found`);
  }
  let q = deps.db.selectFrom('enrollments').selectAll().where('contact_id', '=', contact.id).where('enrolled_at', '<=', at);
  if (input.funnelId !== undefined) q = q.where('funnel_id', '=', input.funnelId);
  const started = await q.orderBy('enrolled_at', 'desc').orderBy('id').execute();
  // Named funnel: its latest enrollment that had started by then. Otherwise: every enrollment open at that time.
  const enrollments = input.funnelId !== undefined ? started.slice(0, 1) : started.filter((e) => openAt(e, at));
  if (input.funnelId !== undefined && enrollments.length === 0) {
    problem('funnelId', `contact ${JSON.stringify(contact.id)} has no enrollment in funnel ${JSON.stringify(input.funnelId)} that had started by ${new Date(at).toISOString()}`);
  }
  return {
    row: {
      id: newId('lt'), contact_id: contact.id, funnel_id: input.funnelId ?? null, kind: input.kind, by: input.by, at,
      outcome: input.outcome ?? null, notes: input.notes ?? null, value: input.value ?? null, source, created_at: now,
    },
    enrollments,
  };
}

/**
 * Checks every touch first, then stores them all in one transaction or none: each in `logged_touches`, a ledger row
 * in every enrollment it counts in, and the credit of later conversions of those enrollments recomputed (a call
 * logged after the purchase it led to still earns its share). A single touch (`single`) naming an unknown contact or
 * funnel is a 404; every other problem, and any problem in a batch, is a 422 listing each row's problems.
 */
export async function logTouches(deps: LogTouchesDeps, inputs: readonly TouchInput[], opts: { source: string; single?: boolean }): Promise<LoggedTouch[]> {
  const problems: RowProblem[] = [];
  const planned: Planned[] = [];
  for (const [i, input] of inputs.entries()) {
    const p = await plan(deps, input, i + 1, opts.source, problems);
    if (p) planned.push(p);
  }
  if (opts.single && problems.length > 0) {
    const missing = problems.find((p) => p.message.endsWith('not found'));
    if (missing) throw new NotFoundError(missing.path === 'contactId' ? 'contact' : 'funnel', missing.path === 'contactId' ? inputs[0]!.contactId : inputs[0]!.funnelId ?? '');
  }
  if (problems.length > 0) {
    const summary = problems.slice(0, 5).map((p) => `row ${p.row}: ${p.path}: ${p.message}`).join('; ');
    throw new ValidationError(`nothing was stored: ${problems.length} problem(s): ${summary}`, problems);
  }
  const logged = await deps.db.transaction().execute(async (trx) => {
    await insertLoggedTouches(trx, planned.map((p) => p.row));
    const out: LoggedTouch[] = [];
    for (const { row, enrollments } of planned) {
      const ledger: LoggedDelivery[] = enrollments.map((e) => ({
        loggedTouchId: row.id, enrollmentId: e.id, funnelId: e.funnel_id, contactId: row.contact_id, kind: row.kind,
        subject: row.outcome === null ? row.by : `${row.by}: ${row.outcome}`, at: row.at, createdAt: row.created_at,
      }));
      const ids = await recordLoggedTouch(trx, ledger);
      await reattributeSince(trx, deps.funnels, enrollments.map((e) => e.id), row.at);
      out.push({
        id: row.id, contactId: row.contact_id, funnelId: row.funnel_id, kind: row.kind, by: row.by, at: new Date(row.at).toISOString(),
        outcome: row.outcome, notes: row.notes, value: row.value,
        ledger: ledger.map((l, i) => ({ funnelId: l.funnelId, enrollmentId: l.enrollmentId, deliveryId: ids[i]! })),
      });
    }
    return out;
  });
  if (deps.engine) for (const t of logged) await announce(deps.engine, t);
  return logged;
}

/**
 * Announces a stored touch to the contact's funnels as the event `staff.<kind>` (once: keyed by the touch's id), dated
 * when it happened, with who made it, the outcome and the funnel it was logged for: a `waitFor('staff.call')` step
 * branches on it, and an entry or goal may name it. Stored before it is signalled, so an outage only delays it.
 */
async function announce(engine: EngineDeps, t: LoggedTouch): Promise<void> {
  const properties = Object.fromEntries(Object.entries({ by: t.by, kind: t.kind, outcome: t.outcome, funnelId: t.funnelId, value: t.value, touchId: t.id })
    .filter(([, v]) => v !== null));
  await ingestEvent(engine, { contactId: t.contactId, name: staffEventName(t.kind), properties, occurredAt: t.at, idempotencyKey: `touch:${t.id}` });
}
