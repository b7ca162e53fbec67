import type { EngineDeps } from '../engine/deps';
import type { FunnelMigrationRow } from '../db/schema-migrations';
import { ConflictError } from '../errors';
import { countToAsk } from './in-flight';
import { planMigration, type MigrationRequest } from './plan-migration';
import { findMigration, insertMigration, migrationOutcomes } from './migration-rows';

/** A migration and its progress, as the API answers it. */
export interface MigrationView {
  id: string;
  funnelId: string;
  from: string;
  to: string;
  map: Record<string, string>;
  status: 'running' | 'done';
  /** Enrollments it found to ask when it started. */
  total: number;
  asked: number;
  moved: number;
  stayed: number;
  finished: number;
  /** Asked (or still to ask) and not answered yet. */
  pending: number;
  createdAt: string;
  finishedAt: string | null;
  /** Enrollments that stayed on their version (their step was removed and not mapped), up to 100. */
  stayedEnrollments: Array<{ enrollmentId: string; contactId: string; version: string; step: string | null; reason: string | null }>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The migration with its outcomes counted from the per-enrollment records. */
export async function migrationView(deps: Pick<EngineDeps, 'db'>, row: FunnelMigrationRow): Promise<MigrationView> {
  const o = await migrationOutcomes(deps.db, row.id);
  const answered = o.moved + o.stayed + o.finished;
  const stayed = await deps.db.selectFrom('enrollment_migrations').select(['enrollment_id', 'contact_id', 'from_version', 'from_step', 'reason'])
    .where('migration_id', '=', row.id).where('outcome', '=', 'stayed').orderBy('at').limit(100).execute();
  return {
    id: row.id, funnelId: row.funnel_id, from: row.from_version, to: row.to_version, map: JSON.parse(row.step_map) as Record<string, string>,
    status: row.status, total: Number(row.total), asked: Number(row.signalled), ...o,
    pending: Math.max(Number(row.signalled) - answered, 0) + (row.status === 'running' ? Math.max(Number(row.total) - Number(row.signalled), 0) : 0),
    createdAt: iso(row.created_at)!, finishedAt: iso(row.finished_at),
    stayedEnrollments: stayed.map((s) => ({ enrollmentId: s.enrollment_id, contactId: s.contact_id, version: s.from_version, step: s.from_step, reason: s.reason })),
  };
}

/** One migration of a funnel with its progress; NotFoundError-free: undefined when there is none. */
export async function migrationProgressOf(deps: Pick<EngineDeps, 'db'>, funnelId: string, migrationId: string): Promise<MigrationView | undefined> {
  const row = await findMigration(deps.db, migrationId);
  return row && row.funnel_id === funnelId ? migrationView(deps, row) : undefined;
}

/** The funnel's migrations, newest first (up to 20). */
export async function migrationsOf(deps: Pick<EngineDeps, 'db'>, funnelId: string): Promise<MigrationView[]> {
  const rows = await deps.db.selectFrom('funnel_migrations').selectAll().where('funnel_id', '=', funnelId).orderBy('created_at', 'desc').limit(20).execute();
  return Promise.all(rows.map((r) => migrationView(deps, r)));
}

/**
 * Starts a migration after checking it as the dry run does (so bad input moves nothing): records it and starts its
 * workflow, which asks the enrollments in batches. One migration of a funnel at a time (ConflictError otherwise); a
 * row whose workflow Temporal refused is removed again.
 */
export async function startMigration(deps: EngineDeps, funnelId: string, request: MigrationRequest): Promise<MigrationView> {
  const plan = await planMigration(deps, funnelId, request);
  const running = await deps.db.selectFrom('funnel_migrations').select('id').where('funnel_id', '=', funnelId).where('status', '=', 'running').executeTakeFirst();
  if (running) throw new ConflictError(`migration ${running.id} of ${funnelId} is still running: wait until it is done`, { migrationId: running.id });
  const total = await countToAsk(deps.db, funnelId, request.from, plan.to);
  const row = await insertMigration(deps.db, { funnelId, from: request.from, to: plan.to, map: plan.map, total, at: deps.now() });
  try {
    await deps.gateway.startMigration(row.id);
  } catch (err) {
    await deps.db.deleteFrom('funnel_migrations').where('id', '=', row.id).execute();
    throw err;
  }
  deps.log.info('migration started', { funnel: funnelId, migration: row.id, from: request.from, to: plan.to, enrollments: total });
  return migrationView(deps, row);
}
