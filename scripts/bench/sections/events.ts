import type { Figure, Section } from '../types';
import { interleaved, median } from '../stats';
import { postLoad } from '../load';
import { rawInserts } from '../raw-sqlite';
import { drained, population } from '../population';

let run = 0;
const eventBody = (contacts: string[], tag: string) => (i: number) => JSON.stringify({
  contactId: contacts[i % contacts.length], name: 'site.visited', properties: { page: 'pricing', n: i }, idempotencyKey: `${tag}-${i}`,
});

/**
 * Single `POST /api/events` per request, for contacts without and with an active enrollment, against the plain hono
 * server (the HTTP ceiling of this machine) and raw better-sqlite3 inserts, 1 row per transaction (the storage
 * ceiling). After each run for enrolled contacts the dispatcher's backlog is drained before anything else runs.
 */
export const eventsSection: Section = {
  id: 'events',
  title: 'Single event ingest vs a plain hono server and raw better-sqlite3',
  async run(ctx) {
    const engine = await ctx.stack.engine();
    const plainBase = await ctx.stack.plain();
    const pop = await population(engine, ctx.quick ? 200 : 1000);
    const seconds = ctx.quick ? 3 : 5;
    const figures: Figure[] = [];
    const drains: number[] = [];
    // Warm-up (JIT, statement caches, connections), not measured.
    await postLoad({ base: plainBase, path: '/api/events', connections: 16, seconds: 2, body: eventBody(pop.plain, 'warm-p') });
    await postLoad({ base: engine.base, path: '/api/events', connections: 16, seconds: 2, body: eventBody(pop.plain, 'warm-e') });
    await drained(engine);
    for (const c of [16, 64]) {
      const variants = {
        plain: async () => (await postLoad({ base: plainBase, path: '/api/events', connections: c, seconds, body: eventBody(pop.plain, `p${++run}`) })).rps,
        none: async () => (await postLoad({ base: engine.base, path: '/api/events', connections: c, seconds, body: eventBody(pop.plain, `n${++run}`) })).rps,
        enrolled: async () => {
          const res = await postLoad({ base: engine.base, path: '/api/events', connections: c, seconds, body: eventBody(pop.enrolled, `e${++run}`) });
          const ms = await drained(engine);
          drains.push(res.ok / ((seconds * 1000 + ms) / 1000));
          return res.rps;
        },
        ...(c === 16 && { sqlite: () => rawInserts(ctx.stack.dir, 1, 1) }),
      };
      const v = await interleaved<string>(ctx.reps, variants as Record<string, () => Promise<number>>);
      ctx.log(`  events ${c} concurrent: ${Object.entries(v).map(([k, xs]) => `${k} ${xs.map((x) => x.toFixed(0)).join(', ')}/s`).join('; ')}`);
      const plain = median(v.plain!);
      const none = median(v.none!);
      const enrolled = median(v.enrolled!);
      figures.push({
        name: `events/s, contact without enrollment, ${c} concurrent`, unit: '/s', engine: none, baselineName: 'plain hono HTTP server', baseline: plain,
        ratio: none / plain, target: { ratio: 0.5, text: '≥ 0.5×' }, runs: { engine: v.none!, baseline: v.plain! },
      });
      if (v.sqlite) {
        const sqlite = median(v.sqlite);
        figures.push({
          name: 'events/s, contact without enrollment, 16 concurrent', unit: '/s', engine: median(v.none!), baselineName: 'better-sqlite3, 1 row/txn', baseline: sqlite,
          ratio: none / sqlite, runs: { engine: v.none!, baseline: v.sqlite },
        });
      }
      figures.push({
        name: `events/s, contact with an active enrollment, ${c} concurrent`, unit: '/s', engine: enrolled, baselineName: 'plain hono HTTP server', baseline: plain,
        ratio: enrolled / plain, target: { ratio: 0.5, text: '≥ 0.5×' }, runs: { engine: v.enrolled!, baseline: v.plain! },
        note: `${(enrolled / none).toFixed(2)}× the same server's rate without enrollment`,
      });
    }
    figures.push({
      name: 'events/s dispatched to workflows (accepted ÷ time until the backlog was empty)', unit: '/s', engine: median(drains),
      runs: { engine: drains }, note: 'how fast signals go out while ingestion answers at its own rate',
    });
    return { figures };
  },
};
