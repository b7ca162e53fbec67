/*
 * The raw baselines' workflows, run by scripts/bench/raw-worker.ts: the least Temporal work that does the same as the
 * engine's workflow in each benchmark (a sleep after the start; a sleep until a moment and one activity).
 */
import { defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(dueAt: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });

/** Sleeps `ms` (the raw side of the enrollment benchmark: one workflow task and a timer, as the bench funnel's wait). */
export async function rawSleep(ms: number): Promise<void> {
  let nudges = 0;
  setHandler(defineSignal('nudge'), () => { nudges += 1; }); // the latency section's raw signals
  await sleep(ms);
  return void nudges;
}

/** Sleeps until `dueAt` (epoch ms) and calls one activity, which answers how late it ran. */
export async function rawTouch(dueAt: number): Promise<number> {
  await sleep(Math.max(1, dueAt - Date.now()));
  return touch(dueAt);
}
