import type { Figure, Section } from '../types';
import { interleaved, median } from '../stats';
import { postLoad } from '../load';
import { rawInserts } from '../raw-sqlite';
import { drained, population } from '../population';
import { BENCH_TOKEN } from '../stack';

const BATCH = 1000;
let run = 0;

/**
 * `POST /api/events/batch` with 1,000 events per request (contacts without an enrollment, each event with its own
 * idempotency key), 4 requests in flight, against raw better-sqlite3 inserting 1,000 rows per transaction.
 */
export const batchSection: Section = {
  id: 'batch',
  title: 'The batch endpoint vs raw better-sqlite3 batched inserts',
  async run(ctx) {
    const engine = await ctx.stack.engine();
    const pop = await population(engine, ctx.quick ? 200 : 1000);
    const probe = await fetch(`${engine.base}/api/events/batch`, {
      method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: [] }),
    });
    const built = probe.status !== 404;
    const seconds = ctx.quick ? 3 : 5;
    const body = (tag: string) => (i: number) => JSON.stringify({
      events: Array.from({ length: BATCH }, (_, k) => ({
        contactId: pop.plain[(i * BATCH + k) % pop.plain.length], name: 'site.visited', properties: { page: 'pricing', n: k }, idempotencyKey: `${tag}-${i}-${k}`,
      })),
    });
    const v = await interleaved<string>(ctx.reps, {
      ...(built && {
        engine: async () => {
          const res = await postLoad({ base: engine.base, path: '/api/events/batch', connections: 4, seconds, body: body(`b${++run}`) });
          await drained(engine);
          return res.rps * BATCH;
        },
      }),
      raw: () => rawInserts(ctx.stack.dir, BATCH, 1),
    } as Record<string, () => Promise<number>>);
    ctx.log(`  batch: ${Object.entries(v).map(([k, xs]) => `${k} ${xs.map((x) => x.toFixed(0)).join(', ')} events/s`).join('; ')}`);
    const raw = median(v.raw!);
    const e = v.engine ? median(v.engine) : null;
    const figures: Figure[] = [{
      name: `events/s in batches of ${BATCH}, 4 concurrent`, unit: '/s', engine: e, baselineName: `better-sqlite3, ${BATCH} rows/txn`, baseline: raw,
      ratio: e === null ? null : e / raw, target: { ratio: 0.5, text: '≥ 0.5×' }, runs: { engine: v.engine ?? [], baseline: v.raw! },
      ...(!built && { note: 'no batch endpoint (404)' }),
    }];
    return { figures };
  },
};
