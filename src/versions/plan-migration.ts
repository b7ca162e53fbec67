import { z } from 'zod';
import type { Db } from '../db/database';
import type { Plan } from '../dsl/plan';
import type { FunnelRegistry } from '../engine/registry';
import { NotFoundError, ValidationError } from '../errors';
import { destinationOf, locateStep, type StayReason } from '../../workflows/positions';
import { skeletonOf } from '../../workflows/skeleton';
import { countInFlight, UNKNOWN_STEP } from './in-flight';
import { diffPlans, timingOf, type VersionDiff } from './diff';
import { walkSteps } from '../dsl/plan';

/** A migration as the API and the CLI ask for it. */
export const MigrationRequest = z.object({
  from: z.string().min(1).max(64),
  map: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
  dryRun: z.boolean().optional(),
}).strict();
export type MigrationRequest = z.infer<typeof MigrationRequest>;

/** What happens to the enrollments resting at one step of one version. */
export interface StepMove {
  version: string;
  stepId: string;
  count: number;
  /** Where they continue in the target version; null when they stay or their step is not known yet. */
  to: string | null;
  /** `move`; `stay` on their version (listed with the reason); `unknown`: no step noted yet, they go by the same rule when asked. */
  outcome: 'move' | 'stay' | 'unknown';
  reason?: StayReason | undefined;
  /** For a wait that moves: `kept` (same timing: the same due time) or `retimed` (from when it began); null otherwise. */
  timing: 'kept' | 'retimed' | null;
  /** The timing before and after, when it changes (`12h → 6h`). */
  timingChange?: string | undefined;
  mapped: boolean;
}

/** A migration's preview: what would move where, per version and step, with counts. */
export interface MigrationPlan {
  funnelId: string;
  from: string;
  to: string;
  /** The versions it takes enrollments from. */
  versions: string[];
  map: Record<string, string>;
  total: number;
  move: number;
  stay: number;
  unknown: number;
  steps: StepMove[];
  diffs: Array<{ version: string; diff: VersionDiff }>;
}

/** What planning reads: the database and the funnels this process serves. */
export interface PlanningDeps {
  db: Db;
  funnels: FunnelRegistry;
}

/** The served current version of a funnel; refused if its file does not pass the check, unknown if nobody knows it. */
export async function migrationTargetOf(deps: PlanningDeps, funnelId: string): Promise<{ plan: Plan; version: string }> {
  const refusals = deps.funnels.refusals(funnelId).filter((r) => r.funnelIds[0] === funnelId);
  if (refusals.length > 0) {
    throw new ValidationError(`funnel ${JSON.stringify(funnelId)} does not pass npm run check, so nothing can move onto it: ${refusals.map((r) => r.text).join('; ')}`,
      refusals.map((r) => r.text), 'funnel_refused');
  }
  const current = deps.funnels.get(funnelId);
  if (!current) throw new NotFoundError('funnel', funnelId);
  return current;
}

/** Every step id of a plan with its type. */
function stepTypes(plan: Plan): Map<string, string> {
  return new Map([...walkSteps(plan.steps)].map((s) => [s.id, s.type]));
}

/**
 * Checks a migration and predicts it, changing nothing: the source versions must be stored, every `map` key a step
 * of one of them and every value a step of the target of the same type. Throws NotFoundError (unknown funnel or
 * version) or ValidationError (refused funnel, the target as source, bad map) before anything moves.
 */
export async function planMigration(deps: PlanningDeps, funnelId: string, request: MigrationRequest): Promise<MigrationPlan> {
  const target = await migrationTargetOf(deps, funnelId);
  const map = request.map ?? {};
  const counts = (await countInFlight(deps.db, funnelId)).filter((c) => c.version !== target.version && (request.from === 'all' || c.version === request.from));
  let versions: string[];
  if (request.from === 'all') {
    versions = [...new Set(counts.map((c) => c.version))].sort();
  } else {
    if (request.from === target.version) {
      throw new ValidationError(`${request.from} is the current version of ${funnelId}: its enrollments are there already`, undefined, 'same_version');
    }
    const stored = await deps.db.selectFrom('funnel_versions').select('version').where('funnel_id', '=', funnelId).where('version', '=', request.from).executeTakeFirst();
    if (!stored) throw new NotFoundError('funnel version', `${funnelId}@${request.from}`);
    versions = [request.from];
  }
  const plans = new Map<string, Plan>();
  for (const v of versions) plans.set(v, await deps.funnels.planAt(deps.db, funnelId, v));

  const targetTypes = stepTypes(target.plan);
  for (const [from, to] of Object.entries(map)) {
    const sources = [...plans.entries()].filter(([, p]) => stepTypes(p).has(from));
    if (sources.length === 0) {
      const where = versions.length === 0 ? 'no version is in flight' : `not a step of ${versions.join(', ')}`;
      throw new ValidationError(`--map ${from}=${to}: ${JSON.stringify(from)} is ${where}`, { step: from }, 'unknown_step');
    }
    const toType = targetTypes.get(to);
    if (!toType) throw new ValidationError(`--map ${from}=${to}: ${JSON.stringify(to)} is not a step of the current version ${target.version}`, { step: to }, 'unknown_step');
    for (const [v, p] of sources) {
      const fromType = stepTypes(p).get(from)!;
      if (fromType !== toType) {
        throw new ValidationError(`--map ${from}=${to}: ${from} is a ${fromType} step (in ${v}), ${to} a ${toType} step: an enrollment only moves onto a step of its own type`,
          { from, to, fromType, toType }, 'step_type_mismatch');
      }
    }
  }

  const targetSteps = skeletonOf(target.plan).steps;
  const steps: StepMove[] = [];
  for (const c of counts.sort((a, b) => a.version.localeCompare(b.version) || (a.step ?? '').localeCompare(b.step ?? ''))) {
    const plan = plans.get(c.version)!;
    if (c.step === null) {
      steps.push({ version: c.version, stepId: UNKNOWN_STEP, count: c.n, to: null, outcome: 'unknown', timing: null, mapped: false });
      continue;
    }
    const own = locateStep(skeletonOf(plan).steps, c.step)?.step ?? null;
    const dest = destinationOf(targetSteps, own, c.step, map);
    const mapped = map[c.step] !== undefined;
    if (!dest.ok) {
      steps.push({ version: c.version, stepId: c.step, count: c.n, to: null, outcome: 'stay', reason: dest.reason, timing: null, mapped });
      continue;
    }
    const before = [...walkSteps(plan.steps)].find((s) => s.id === c.step);
    const after = [...walkSteps(target.plan.steps)].find((s) => s.id === dest.stepId);
    const [tb, ta] = [before ? timingOf(before) : null, after ? timingOf(after) : null];
    const timing = tb === null && ta === null ? null : tb === ta ? 'kept' : 'retimed';
    steps.push({ version: c.version, stepId: c.step, count: c.n, to: dest.stepId, outcome: 'move', timing, ...(timing === 'retimed' && { timingChange: `${tb ?? '—'} → ${ta ?? '—'}` }), mapped });
  }
  const sum = (o: StepMove['outcome']) => steps.filter((s) => s.outcome === o).reduce((n, s) => n + s.count, 0);
  return {
    funnelId, from: request.from, to: target.version, versions, map, total: steps.reduce((n, s) => n + s.count, 0),
    move: sum('move'), stay: sum('stay'), unknown: sum('unknown'), steps,
    diffs: versions.map((v) => ({ version: v, diff: diffPlans(plans.get(v)!, target.plan) })),
  };
}
