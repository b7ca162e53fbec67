import type { VersionedPlan } from '../db/funnels';
import type { SimulationResult } from './result';
import { simulate, type SimulationOptions } from './run';
import { builtinPersonas } from './builtin-personas';
import { nextMondayTen } from './start-time';

/** Runs the built-in personas through a funnel version (the dashboard's Preview). */
export type PreviewRunner = (funnel: VersionedPlan) => Promise<SimulationResult>;

const KEEP = 20;

/**
 * A preview runner for one process: the built-in personas from the next Monday 10:00 in the funnel's zone, one
 * simulation at a time (each starts a test server), the result kept per funnel version and start so a reload is instant.
 */
export function createPreviewRunner(options: Omit<SimulationOptions, 'start' | 'progress'> = {}): PreviewRunner {
  const cache = new Map<string, Promise<SimulationResult>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (funnel) => {
    const start = nextMondayTen(Date.now(), funnel.plan.timezone);
    const key = `${funnel.plan.id}@${funnel.version}@${start}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const run = queue.then(() => simulate(funnel, builtinPersonas(funnel.plan), { ...options, start }));
    queue = run.catch(() => undefined);
    run.catch(() => cache.delete(key));
    cache.set(key, run);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    return run;
  };
}
