import type { Figure, Section } from '../types';
import { interleaved, median, percentile } from '../stats';
import { lanes, postLoad } from '../load';
import { drained, engineDb, population } from '../population';

const RATE = 1000;
let run = 0;

/**
 * Events for enrolled contacts offered at 1,000/s: the p99 of accepted → signalled (the event row's `dispatched_at`
 * minus `received_at`: the signal call to Temporal had returned, so the event is in the workflow's history), next to
 * what raw Temporal signals reach on this server (64 in flight, to sleeping workflows of the raw worker).
 */
export const latencySection: Section = {
  id: 'latency',
  title: 'Event-to-workflow latency at 1,000 events/s',
  async run(ctx) {
    const engine = await ctx.stack.engine();
    const rawQueue = await ctx.stack.rawWorker();
    const client = await ctx.stack.client();
    const pop = await population(engine, ctx.quick ? 200 : 1000);
    const db = engineDb(engine);
    const seconds = ctx.quick ? 3 : 8;
    const sleepers = Array.from({ length: 200 }, (_, i) => `raw-sleeper-${Date.now()}-${i}`);
    await Promise.all(sleepers.map((id) => client.workflow.start('rawSleep', { taskQueue: rawQueue, workflowId: id, args: [86_400_000] })));
    const rates: number[] = [];
    const v = await interleaved(ctx.reps, {
      engine: async () => {
        const tag = `lat${++run}x${Date.now()}`;
        const res = await postLoad({
          base: engine.base, path: '/api/events', connections: 32, seconds, rate: RATE,
          body: (i) => JSON.stringify({ contactId: pop.enrolled[i % pop.enrolled.length], name: 'bench.latency', properties: { n: i }, idempotencyKey: `${tag}-${i}` }),
        });
        rates.push(res.rps);
        await drained(engine);
        const rows = await db.selectFrom('events').select(['received_at', 'dispatched_at']).where('idempotency_key', 'like', `${tag}-%`).execute();
        return percentile(rows.map((r) => Number(r.dispatched_at) - Number(r.received_at)), 0.99);
      },
      signals: async () => (await lanes(64, ctx.quick ? 2 : 4, (i) => client.workflow.getHandle(sleepers[i % sleepers.length]!).signal('nudge'))).perSecond,
    });
    ctx.log(`  latency: p99 ${v.engine.map((x) => x.toFixed(0)).join(', ')} ms at ${rates.map((x) => x.toFixed(0)).join(', ')} accepted/s; raw signals ${v.signals.map((x) => x.toFixed(0)).join(', ')}/s`);
    const figures: Figure[] = [
      {
        name: `accepted → signalled p99 at ${RATE.toLocaleString('en-US')} events/s offered (enrolled contacts)`, unit: 'ms', engine: median(v.engine),
        lowerIsBetter: true, target: { max: 1000, text: '≤ 1,000 ms' }, runs: { engine: v.engine },
      },
      {
        name: `events/s accepted at ${RATE.toLocaleString('en-US')}/s offered`, unit: '/s', engine: median(rates), target: { min: RATE * 0.95, text: '≥ 950/s' },
        runs: { engine: rates },
      },
      {
        name: 'raw Temporal signals/s to sleeping workflows, 64 in flight', unit: '/s', engine: null, baselineName: 'client.workflow.signal', baseline: median(v.signals),
        runs: { engine: [], baseline: v.signals }, note: 'the ceiling of signal delivery on this Temporal server',
      },
    ];
    return { figures };
  },
};
