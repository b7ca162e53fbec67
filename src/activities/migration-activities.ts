import type { Client } from '@temporalio/client';
import type { Db } from '../db/database';
import type { PlanSource } from './send-deps';
import { skeletonOf, type PlanSkeleton } from '../../workflows/skeleton';
import { migrateSignal } from '../../workflows/signals';
import { countSignalled, findMigration, markMigrationDone, migrationOutcomes, noteCurrentStep, recordEnrollmentMigration, type EnrollmentMigrationRecord } from '../versions/migration-rows';
import { enrollmentsToAsk } from '../versions/in-flight';

/** What a migration gives the enrollment it asks: the target version, its lean plan, the step map. */
export interface MigrationTarget {
  version: string;
  skeleton: PlanSkeleton;
  map: Record<string, string>;
}

/** Progress of a migration as its workflow polls it. */
export interface MigrationRunProgress {
  signalled: number;
  answered: number;
  pending: number;
}

/**
 * The activities of moving enrollments between versions: the enrollment's side (note its step, read the target,
 * record its answer) and the migration run's side (ask a batch, poll the answers, finish). Asking needs a Temporal
 * client; a worker without one fails those activities (retried until it has one).
 */
export function createMigrationActivities(deps: { db: Db; plans: PlanSource; temporal?: Client | undefined }) {
  const { db } = deps;
  return {
    /** Notes where the enrollment rests (a wait or a deferred touch) and since when. */
    async noteStep(input: { enrollmentId: string; stepId: string; since: number }): Promise<void> {
      await noteCurrentStep(db, input.enrollmentId, input.stepId, input.since);
    },

    /** The target of a migration for an enrollment on `version`; null when the migration does not apply to it (any more). */
    async migrationTarget(input: { migrationId: string; enrollmentId: string; version: string }): Promise<MigrationTarget | null> {
      const m = await findMigration(db, input.migrationId);
      if (!m || m.to_version === input.version || (m.from_version !== 'all' && m.from_version !== input.version)) return null;
      const plan = await deps.plans(m.funnel_id, m.to_version);
      return { version: m.to_version, skeleton: skeletonOf(plan), map: JSON.parse(m.step_map) as Record<string, string> };
    },

    /** Records the enrollment's answer (moved, stayed and why, finished); a move puts it on the target version. Idempotent. */
    async recordMigration(input: EnrollmentMigrationRecord): Promise<void> {
      await recordEnrollmentMigration(db, input);
    },

    /**
     * Asks the next batch of the migration's enrollments (ids after `after`) to move; an enrollment whose workflow is
     * no longer running is recorded as finished (at workflow time `now`). Returns how many it asked and the last id.
     */
    async signalMigrationBatch(input: { migrationId: string; after: string; limit: number; now: number }): Promise<{ count: number; last: string }> {
      const m = await findMigration(db, input.migrationId);
      if (!m) return { count: 0, last: input.after };
      const rows = await enrollmentsToAsk(db, m, input.after, input.limit);
      if (rows.length === 0) return { count: 0, last: input.after };
      if (!deps.temporal) throw new Error('this worker has no Temporal client to ask enrollments with');
      for (const row of rows) {
        try {
          await deps.temporal.workflow.getHandle(row.workflow_id).signal(migrateSignal, { migrationId: m.id });
        } catch (err) {
          if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
          await recordEnrollmentMigration(db, {
            migrationId: m.id, enrollmentId: row.id, fromVersion: row.version, toVersion: m.to_version, fromStep: row.current_step, toStep: null,
            outcome: 'finished', at: input.now,
          });
        }
      }
      await countSignalled(db, m.id, rows.length);
      return { count: rows.length, last: rows[rows.length - 1]!.id };
    },

    /** How many of the asked enrollments have answered. */
    async migrationProgress(input: { migrationId: string }): Promise<MigrationRunProgress> {
      const m = await findMigration(db, input.migrationId);
      const o = await migrationOutcomes(db, input.migrationId);
      const answered = o.moved + o.stayed + o.finished;
      const signalled = m?.signalled ?? 0;
      return { signalled, answered, pending: Math.max(signalled - answered, 0) };
    },

    /** Marks the migration done. */
    async finishMigration(input: { migrationId: string; at: number }): Promise<void> {
      await markMigrationDone(db, input.migrationId, input.at);
    },
  };
}
