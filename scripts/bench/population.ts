import { openDatabase, type Db } from '../../src/db/database';
import { BENCH_TOKEN, type BenchEngine } from './stack';
import { ENROLL_FUNNEL } from './funnels';

/** Contacts the events benchmarks post for: some without an enrollment, some inside the sleeping bench funnel. */
export interface Population {
  plain: string[];
  enrolled: string[];
}

async function post(url: string, body: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, {
      method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (res.ok) return res.json();
    if (res.status < 500 || attempt >= 5) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  }
}

const cache = new WeakMap<BenchEngine, Promise<Population>>();

/** Creates (once per engine) `n` contacts without an enrollment and `n` enrolled ones, through the API, 8 at a time. */
export function population(engine: BenchEngine, n: number): Promise<Population> {
  let p = cache.get(engine);
  if (!p) {
    p = (async () => {
      const out: Population = { plain: [], enrolled: [] };
      const jobs = Array.from({ length: 2 * n }, (_, i) => i);
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = jobs.shift(); i !== undefined; i = jobs.shift()) {
          const contact = { externalId: `pop-${i}`, email: `pop-${i}@bench.example`, consent: { email: true } };
          if (i % 2 === 0) out.plain.push((await post(`${engine.base}/api/contacts`, contact)).id);
          else out.enrolled.push((await post(`${engine.base}/api/funnels/${ENROLL_FUNNEL}/enrollments`, { contact })).contactId);
        }
      }));
      return out;
    })();
    cache.set(engine, p);
  }
  return p;
}

const dbs = new WeakMap<BenchEngine, Db>();

/** The engine's database, opened from this process (WAL: reading does not block the engine). */
export function engineDb(engine: BenchEngine): Db {
  let db = dbs.get(engine);
  if (!db) {
    db = openDatabase(engine.dbFile);
    dbs.set(engine, db);
  }
  return db;
}

/** Closes what `engineDb` opened for this engine. */
export async function closeEngineDb(engine: BenchEngine): Promise<void> {
  await dbs.get(engine)?.destroy();
  dbs.delete(engine);
}

/** Waits until the engine has dispatched every stored event (the dispatcher's backlog is empty); answers how long it took. */
export async function drained(engine: BenchEngine, timeoutMs = 300_000): Promise<number> {
  const db = engineDb(engine);
  const t0 = Date.now();
  for (;;) {
    const row = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('dispatched_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${row.n} events still undispatched after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
