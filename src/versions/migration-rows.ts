import type { Db } from '../db/database';
import type { FunnelMigrationRow, MigrationOutcome } from '../db/schema-migrations';
import { newId } from '../db/ids';

/*
 * The one owner of `funnel_migrations` and `enrollment_migrations`, and of the enrollment columns a migration and the
 * workflow's step notes change (`version`, `current_step`, `current_step_at`).
 */

/** What a migration records about one enrollment. */
export interface EnrollmentMigrationRecord {
  migrationId: string;
  enrollmentId: string;
  fromVersion: string;
  toVersion: string;
  fromStep: string | null;
  toStep: string | null;
  outcome: MigrationOutcome;
  reason?: string | undefined;
  at: number;
}

/** Notes where an active enrollment rests and since when. */
export async function noteCurrentStep(db: Db, enrollmentId: string, stepId: string, since: number): Promise<void> {
  await db.updateTable('enrollments').set({ current_step: stepId, current_step_at: since })
    .where('id', '=', enrollmentId).where('status', '=', 'active').execute();
}

/** A new migration row, `running`, with how many enrollments it is about to ask. */
export async function insertMigration(db: Db, m: { funnelId: string; from: string; to: string; map: Record<string, string>; total: number; at: number }): Promise<FunnelMigrationRow> {
  return db.insertInto('funnel_migrations').values({
    id: newId('mg'), funnel_id: m.funnelId, from_version: m.from, to_version: m.to, step_map: JSON.stringify(m.map),
    status: 'running', total: m.total, signalled: 0, created_at: m.at, finished_at: null,
  }).returningAll().executeTakeFirstOrThrow();
}

/** One migration, or undefined. */
export function findMigration(db: Db, migrationId: string): Promise<FunnelMigrationRow | undefined> {
  return db.selectFrom('funnel_migrations').selectAll().where('id', '=', migrationId).executeTakeFirst();
}

/** Counts `n` more enrollments as asked. */
export async function countSignalled(db: Db, migrationId: string, n: number): Promise<void> {
  await db.updateTable('funnel_migrations').set((eb) => ({ signalled: eb('signalled', '+', n) })).where('id', '=', migrationId).execute();
}

/** Marks a migration done (idempotent: the first time stays). */
export async function markMigrationDone(db: Db, migrationId: string, at: number): Promise<void> {
  await db.updateTable('funnel_migrations').set({ status: 'done', finished_at: at }).where('id', '=', migrationId).where('status', '=', 'running').execute();
}

/**
 * Records one enrollment's answer to a migration, once (a retried call finds the first); a move also puts the
 * enrollment on the target version at its new step, in the same transaction.
 */
export async function recordEnrollmentMigration(db: Db, r: EnrollmentMigrationRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const enrollment = await trx.selectFrom('enrollments').select(['funnel_id', 'contact_id']).where('id', '=', r.enrollmentId).executeTakeFirst();
    if (!enrollment) return;
    const inserted = await trx.insertInto('enrollment_migrations').values({
      id: newId('em'), migration_id: r.migrationId, enrollment_id: r.enrollmentId, funnel_id: enrollment.funnel_id, contact_id: enrollment.contact_id,
      from_version: r.fromVersion, to_version: r.toVersion, from_step: r.fromStep, to_step: r.toStep, outcome: r.outcome, reason: r.reason ?? null, at: r.at,
    }).onConflict((oc) => oc.columns(['migration_id', 'enrollment_id']).doNothing()).executeTakeFirst();
    if (r.outcome === 'moved' && Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      await trx.updateTable('enrollments').set({ version: r.toVersion, current_step: r.toStep }).where('id', '=', r.enrollmentId).execute();
    }
  });
}

/** How many enrollments answered a migration, by outcome. */
export async function migrationOutcomes(db: Db, migrationId: string): Promise<Record<MigrationOutcome, number>> {
  const rows = await db.selectFrom('enrollment_migrations').select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('migration_id', '=', migrationId).groupBy('outcome').execute();
  const out: Record<MigrationOutcome, number> = { moved: 0, stayed: 0, finished: 0 };
  for (const r of rows) out[r.outcome] = Number(r.n);
  return out;
}
