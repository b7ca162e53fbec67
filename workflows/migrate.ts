import { continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../src/activities/index';
import type { CarriedState, EnrollmentInput, MigrateRequest } from './types';
import type { PlanSkeleton } from './skeleton';
import { migrateSignal } from './signals';
import { destinationOf, locateStep } from './positions';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Where the enrollment is when a migration is tried: its step and when that step's wait began (null: not begun, or the plan's end). */
export interface Here {
  stepId: string | null;
  since: number | null;
}

/**
 * The enrollment's side of migrations: collects `migrate` requests, and tries them where the interpreter says it is.
 * A move records the enrollment's answer and continues as new on the target version, its position rebuilt by step id
 * (`resume` says which step and when its wait began); a stay (step removed and not mapped, or of another type) or a
 * finish is recorded and the interpreter goes on where it was.
 */
export function enrollmentMigrations(ctx: {
  input: EnrollmentInput; plan: PlanSkeleton; st: CarriedState; nextInput: (change: Partial<EnrollmentInput>) => EnrollmentInput;
}) {
  const waiting: MigrateRequest[] = [];
  setHandler(migrateSignal, (request) => { waiting.push(request); });
  const { input } = ctx;

  const migrate = async (request: MigrateRequest, here: Here): Promise<void> => {
    const target = await acts.migrationTarget({ migrationId: request.migrationId, enrollmentId: input.enrollmentId, version: input.version });
    if (!target) return;
    const record = { migrationId: request.migrationId, enrollmentId: input.enrollmentId, fromVersion: input.version, toVersion: target.version, fromStep: here.stepId, at: Date.now() };
    if (here.stepId === null) {
      await acts.recordMigration({ ...record, toStep: null, outcome: 'finished' });
      return;
    }
    const dest = destinationOf(target.skeleton.steps, locateStep(ctx.plan.steps, here.stepId)?.step ?? null, here.stepId, target.map);
    if (!dest.ok) {
      await acts.recordMigration({ ...record, toStep: dest.stepId, outcome: 'stayed', reason: dest.reason });
      return;
    }
    await acts.recordMigration({ ...record, toStep: dest.stepId, outcome: 'moved' });
    await continueAsNew<(input: EnrollmentInput) => Promise<unknown>>(ctx.nextInput({
      version: target.version, skeleton: target.skeleton,
      carried: { ...ctx.st, frames: dest.located.frames, resume: { stepId: dest.stepId, since: here.since } },
    }));
  };

  return {
    /** Whether a migration waits to be tried. */
    pending: () => waiting.length > 0,
    /** Tries every waiting migration at `here`; returns only if the enrollment stays where it is. */
    async tryAt(here: Here): Promise<void> {
      for (let request = waiting.shift(); request; request = waiting.shift()) await migrate(request, here);
    },
  };
}
