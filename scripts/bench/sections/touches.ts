import type { Client } from '@temporalio/client';
import type { Figure, Section } from '../types';
import { interleaved, median, percentile, sleep } from '../stats';
import { closeEngineDb, engineDb } from '../population';
import { BENCH_TOKEN } from '../stack';
import { TOUCHES_FUNNEL } from '../funnels';

const SAMPLE = 20;
/**
 * Round trips per touch of this funnel before the short reads became local activities (measured with this section on
 * the code of the round's start: start, localDelay, timer, sendTouch, localDelay; 5 workflow + 3 activity tasks).
 */
const ROUND_TRIPS_BEFORE = 8;
let run = 0;

/** Worker round trips (workflow tasks + activity tasks, each a poll and a completion) in a workflow's history so far. */
async function roundTrips(client: Client, workflowId: string): Promise<{ trips: number; timers: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let trips = 0;
  let timers = 0;
  for (const e of history.events ?? []) {
    if (e.workflowTaskStartedEventAttributes || e.activityTaskStartedEventAttributes) trips += 1;
    if (e.timerStartedEventAttributes) timers += 1;
  }
  return { trips, timers };
}

async function eachLimited<T>(items: T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => { for (let x = queue.shift(); x !== undefined; x = queue.shift()) await f(x); }));
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * 1,000 enrollments whose first touch is due at the same minute (`waitUntil` HH:MM UTC, then an email, then the same
 * minute the next day): lateness = the ledger's `sent_at` minus the moment; against 1,000 raw workflows that sleep until
 * the same kind of moment and run one activity on the raw worker. Each side waits until the moment with its backlog
 * empty; the engine runs in a fresh process per repetition (the moment is part of its funnel file).
 */
export const touchesSection: Section = {
  id: 'touches',
  title: '1,000 touches due at once vs a raw one-activity worker',
  async run(ctx) {
    const n = ctx.quick ? 100 : 1000;
    const client = await ctx.stack.client();
    const rawQueue = await ctx.stack.rawWorker();
    const trips = { engine: [] as number[], raw: [] as number[] };
    const v = await interleaved(ctx.reps, {
      engine: async () => {
        const r = ++run;
        const dueAt = Math.ceil((Date.now() + 40_000 + (n / 30) * 1000) / 60_000) * 60_000;
        const engine = await ctx.stack.startEngine(`touches-${r}`, `touches-${r}`, hhmm(dueAt));
        try {
          const ids: string[] = [];
          await eachLimited(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
            const res = await fetch(`${engine.base}/api/funnels/${TOUCHES_FUNNEL}/enrollments`, {
              method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
              body: JSON.stringify({ contact: { externalId: `t${r}-${i}`, email: `t${r}-${i}@bench.example`, consent: { email: true } } }),
            });
            if (!res.ok) throw new Error(`enrollment answered ${res.status}: ${await res.text()}`);
            ids.push(((await res.json()) as { contactId: string }).contactId);
          });
          if (Date.now() > dueAt - 2000) throw new Error(`touches: enrolling ${n} took until ${new Date().toISOString()}, past the moment ${new Date(dueAt).toISOString()}`);
          ctx.log(`  touches engine #${r}: ${n} enrolled, due ${new Date(dueAt).toISOString()} (in ${((dueAt - Date.now()) / 1000).toFixed(0)} s)`);
          await sleep(dueAt - Date.now());
          const db = engineDb(engine);
          const deadline = Date.now() + 600_000;
          let rows: Array<{ sent_at: number | null }> = [];
          for (;;) {
            rows = await db.selectFrom('deliveries').select('sent_at').where('touch_id', '=', 'touch').where('sent_at', 'is not', null).execute();
            if (rows.length >= n || Date.now() > deadline) break;
            await sleep(250);
          }
          if (rows.length < n) throw new Error(`touches: only ${rows.length} of ${n} sent after 10 minutes`);
          const sample = ids.slice(0, SAMPLE).map((id) => `funnel:${TOUCHES_FUNNEL}:${id}`);
          for (const id of sample) {
            let t = await roundTrips(client, id);
            for (let k = 0; t.timers < 2 && k < 100; k++) { await sleep(100); t = await roundTrips(client, id); } // the next day's wait has begun
            trips.engine.push(t.trips);
          }
          await closeEngineDb(engine);
          return percentile(rows.map((x) => Number(x.sent_at) - dueAt), 0.99);
        } finally {
          await ctx.stack.stopProcess(engine.process);
        }
      },
      raw: async () => {
        const r = ++run;
        const dueAt = Date.now() + 8_000 + (n / 50) * 1000;
        const ids = Array.from({ length: n }, (_, i) => `raw-touch-${r}-${Date.now()}-${i}`);
        await eachLimited(ids, 16, async (id) => { await client.workflow.start('rawTouch', { taskQueue: rawQueue, workflowId: id, args: [dueAt] }); });
        if (Date.now() > dueAt - 1000) throw new Error('touches: starting the raw workflows took past their moment');
        const late: number[] = [];
        await eachLimited(ids, 64, async (id) => { late.push(await client.workflow.getHandle(id).result() as number); });
        for (const id of ids.slice(0, SAMPLE)) trips.raw.push((await roundTrips(client, id)).trips);
        return percentile(late, 0.99);
      },
    });
    ctx.log(`  touches: engine p99 ${v.engine.map((x) => (x / 1000).toFixed(1)).join(', ')} s; raw p99 ${v.raw.map((x) => (x / 1000).toFixed(1)).join(', ')} s`);
    const e = median(v.engine);
    const b = median(v.raw);
    const figures: Figure[] = [
      {
        name: `${n.toLocaleString('en-US')} touches due at once: lateness p99`, unit: 's', engine: e / 1000, baselineName: 'raw one-activity worker', baseline: b / 1000,
        ratio: e / b, lowerIsBetter: true, target: { ratio: 1.1, text: '≤ 1.1×' }, runs: { engine: v.engine.map((x) => x / 1000), baseline: v.raw.map((x) => x / 1000) },
      },
      {
        name: 'Temporal round trips per touch (workflow + activity tasks, from histories)', unit: '', engine: median(trips.engine),
        baselineName: 'raw one-activity workflow', baseline: median(trips.raw), ratio: median(trips.engine) / median(trips.raw), lowerIsBetter: true,
        runs: { engine: trips.engine, baseline: trips.raw }, target: { max: ROUND_TRIPS_BEFORE - 1, text: `< ${ROUND_TRIPS_BEFORE} (before)` },
        note: 'engine: start, waitUntil, the touch, the next waitUntil; raw: start, sleep, one activity, completion',
      },
    ];
    return { figures };
  },
};
