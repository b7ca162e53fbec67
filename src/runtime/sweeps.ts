import type { EngineDeps } from '../engine/deps';
import { startMissingWorkflows } from '../engine/resume-enrollments';
import { pruneSendSlots } from '../db/send-slots';

/** How often the leader sweeps. */
export const SWEEP_EVERY_MS = 30_000;

/**
 * The leader's periodic sweeps, started at once and then every 30 s: enrollments a crash left without a workflow get
 * one (rows younger than a minute are left to the enroll call still starting them, except in the first sweep of a
 * process that just started — nobody else was enrolling), and shared send slots nobody needs any more are dropped.
 * A long sweep is never overlapped by the next tick. Answers how to stop them.
 */
export async function startSweeps(deps: EngineDeps, opts: { firstGraceMs: number }): Promise<() => Promise<void>> {
  let sweeping: Promise<void> | null = null;
  const sweep = (graceMs: number) => {
    if (sweeping) return sweeping;
    sweeping = (async () => {
      try {
        const started = await startMissingWorkflows(deps, graceMs);
        if (started > 0) deps.log.info('started missing enrollment workflows', { count: started });
        await pruneSendSlots(deps.db, deps.now());
      } catch (err) {
        deps.log.warn('enrollments without a workflow still waiting', { error: err });
      }
    })().finally(() => { sweeping = null; });
    return sweeping;
  };
  await sweep(opts.firstGraceMs);
  const timer = setInterval(() => void sweep(60_000), SWEEP_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await sweeping;
  };
}
