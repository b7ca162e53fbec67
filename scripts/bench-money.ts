/*
 * npm run bench:money [-- --deliveries 1000000] [--runs 30] [--raw-runs 3]
 *
 * The grouped money read at scale: generates a funnel history in a temp SQLite file (about seven deliveries per
 * enrollment, contacts with a first source and campaign, ~6% first orders and some repeats, spend per source and day)
 * (bulk-loaded without the rollup triggers, then the rollups rebuilt and the triggers put back), then times `GET /api/funnels/bench/stats?money=true&groupBy=source` end to end (the
 * issue's grouped stats with money) against, in the same run, a raw baseline: the same groups computed by one plain
 * SQL GROUP BY per table (a simple reference; the answers are compared). Prints p50/p95 and the ratio, and PASS/FAIL
 * for p95 ≤ 200 ms. The grouped read comes from the money rollups (migration 0022); it also times one grouped by campaign over a
 * period with ragged ends (rollup days and hours plus raw minutes), by a declared attribute (rollups; its first read
 * backfills them) and by an undeclared one (raw tables), the ungrouped stats, and the write cost of the money
 * triggers: the same history inserted into a fresh database with every trigger on, and without the money triggers.
 */
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { timed } from './bench/stats';
import { openDatabase, openMigratedDatabase } from '../src/db/database';
import type { Plan } from '../src/dsl/plan';
import { seededRandom } from '../src/analytics/probability';
import { FunnelRegistry } from '../src/engine/registry';
import { createApp } from '../src/http/app';
import type { WorkflowGateway } from '../src/temporal/gateway';
import { silentLogger } from '../src/log';
import { rebuildRollups } from '../src/analytics/rollup-rebuild';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const DELIVERIES = opt('deliveries', 1_000_000);
const RUNS = opt('runs', 30);
const RAW_RUNS = opt('raw-runs', 3);
const TARGET_MS = 200;
const TOKEN = 'bench-token-0123456789';
const H = 3_600_000;
const D = 24 * H;
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN_DAYS = 180;
const TOUCHES = [['welcome', 'email'], ['lesson', 'email'], ['reminder', 'sms'], ['tip', 'telegram'], ['offer', 'email'], ['case', 'email'], ['last', 'email']] as const;
const SOURCES = ['vk', 'yandex', 'telegram', 'google', 'direct'];
const plan = {
  id: 'bench', name: 'Bench', entry: null, timezone: 'UTC', attributes: ['tariff'], events: [],
  goal: { event: 'order.paid', withinMs: 30 * D, exit: false },
  steps: TOUCHES.map(([id, channel]) => (channel === 'email' ? { type: 'email', id, subject: id, text: id } : { type: channel, id, text: id })),
} as unknown as Plan;
const hex = (p: string, n: number) => `${p}_${n.toString(16).padStart(24, '0')}`;
const fmt = (n: number) => n.toLocaleString('en-US');
const noTemporal = new Proxy({}, { get: () => () => Promise.reject(new Error('bench: no Temporal')) }) as WorkflowGateway;

/** Which triggers stay on while loading: none (bulk load, rollups rebuilt after), all, or all but the money ones. */
type Load = 'bulk' | 'all-triggers' | 'no-money-triggers';

function generate(file: string, deliveries: number, load: Load = 'bulk') {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rand = seededRandom(20250102);
  // Bulk load without the rollup triggers (they are put back and the rollups rebuilt after): same rollups, much faster.
  const triggers = (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as Array<{ name: string; sql: string }>)
    .filter((t) => load === 'bulk' || (load === 'no-money-triggers' && t.name.startsWith('money_')));
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const ins = {
    contact: db.prepare(`INSERT INTO contacts (id, email, attributes, created_at, updated_at, source, campaign) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    enrollment: db.prepare(`INSERT INTO enrollments (id, funnel_id, contact_id, version, workflow_id, status, enrolled_at, finished_at, converted_at)
      VALUES (?, 'bench', ?, 'v1', ?, ?, ?, NULL, ?)`),
    delivery: db.prepare(`INSERT INTO deliveries (id, enrollment_id, funnel_id, contact_id, touch_id, channel, planned_channel, status, attempts,
      scheduled_at, created_at, sent_at, delivered_at, cost) VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`),
    conversion: db.prepare(`INSERT INTO conversions (id, enrollment_id, funnel_id, contact_id, event_id, value, occurred_at) VALUES (?, ?, 'bench', ?, ?, ?, ?)`),
    order: db.prepare(`INSERT INTO orders (id, enrollment_id, funnel_id, contact_id, event_id, is_first, amount_minor, currency, occurred_at) VALUES (?, ?, 'bench', ?, ?, ?, ?, 'RUB', ?)`),
    spend: db.prepare(`INSERT INTO spend (id, source, campaign, funnel_id, day, day_start, amount_minor, currency, created_at) VALUES (?, ?, NULL, NULL, ?, ?, ?, 'RUB', 0)`),
  };
  const counts = { enrollments: 0, deliveries: 0, orders: 0, conversions: 0, spend: 0 };
  let ids = 0;
  const one = (i: number) => {
    const at0 = START + Math.floor(rand() * (SPAN_DAYS - 10) * D);
    const contactId = hex('ct', i);
    const enrollmentId = hex('en', i);
    const source = SOURCES[Math.floor(rand() * SOURCES.length)]!;
    ins.contact.run(contactId, `c${i}@example.test`, JSON.stringify({ tariff: ['basic', 'pro', 'team'][i % 3] }), at0, at0, source, `${source}-${Math.floor(rand() * 3)}`);
    const buysAt = rand() < 0.06 ? at0 + Math.floor(H + rand() * 6 * D) : null;
    ins.enrollment.run(enrollmentId, contactId, `funnel:bench:${contactId}`, buysAt ? 'converted' : 'exited', at0, buysAt);
    counts.enrollments++;
    TOUCHES.forEach(([touch, channel], k) => {
      const at = at0 + k * D;
      const status = rand() < 0.1 ? 'skipped' : 'delivered';
      ins.delivery.run(hex('dl', ++ids), enrollmentId, contactId, touch, channel, channel, status, at, at, status === 'delivered' ? at : null,
        status === 'delivered' ? at : null, channel === 'sms' && status === 'delivered' ? 2.35 : null);
      counts.deliveries++;
    });
    if (buysAt !== null) {
      const amount = 490_000 + Math.floor(rand() * 100) * 100;
      ins.conversion.run(hex('cv', ++ids), enrollmentId, contactId, hex('ev', ids), amount / 100, buysAt);
      ins.order.run(hex('or', ++ids), enrollmentId, contactId, hex('ev', ids), 1, amount, buysAt);
      counts.conversions++;
      counts.orders++;
      if (rand() < 0.3) { ins.order.run(hex('or', ++ids), enrollmentId, contactId, hex('ev', ids), 0, 99_000, buysAt + 5 * D); counts.orders++; }
    }
  };
  const enrollments = Math.ceil(deliveries / TOUCHES.length);
  for (let i = 0; i < enrollments; i += 5_000) {
    db.transaction(() => { for (let j = i; j < Math.min(enrollments, i + 5_000); j++) one(j); })();
    if ((i / 5_000) % 10 === 9 && load === 'bulk') process.stdout.write(`  ${fmt(counts.deliveries)} deliveries\n`);
  }
  db.transaction(() => {
    for (let d = 0; d < SPAN_DAYS; d++) for (const s of SOURCES) {
      ins.spend.run(hex('sp', ++ids), s, new Date(START + d * D).toISOString().slice(0, 10), START + d * D, 100_000 + Math.floor(rand() * 50_000));
      counts.spend++;
    }
  })();
  if (load === 'bulk') for (const t of triggers) db.exec(t.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return counts;
}

/** The simple reference: per source, enrollments, first conversions, order revenue and message cost by one GROUP BY each. */
function reference(file: string): Record<string, { enrolled: number; converted: number; orders: number; revenueMinor: number; smsMinor: number }> {
  const db = new SQLite(file, { readonly: true });
  const out: Record<string, { enrolled: number; converted: number; orders: number; revenueMinor: number; smsMinor: number }> = {};
  const at = (k: string) => (out[k] ??= { enrolled: 0, converted: 0, orders: 0, revenueMinor: 0, smsMinor: 0 });
  for (const r of db.prepare(`SELECT k.source AS g, count(*) AS n FROM enrollments e JOIN contacts k ON k.id = e.contact_id GROUP BY 1`).all() as Array<{ g: string; n: number }>) at(r.g).enrolled = r.n;
  for (const r of db.prepare(`SELECT k.source AS g, count(*) AS n FROM conversions c JOIN contacts k ON k.id = c.contact_id GROUP BY 1`).all() as Array<{ g: string; n: number }>) at(r.g).converted = r.n;
  for (const r of db.prepare(`SELECT k.source AS g, count(*) AS n, sum(o.amount_minor) AS a FROM orders o JOIN contacts k ON k.id = o.contact_id GROUP BY 1`).all() as Array<{ g: string; n: number; a: number }>) {
    at(r.g).orders = r.n;
    at(r.g).revenueMinor = r.a;
  }
  for (const r of db.prepare(`SELECT k.source AS g, sum(round(d.cost * 100)) AS c FROM deliveries d JOIN contacts k ON k.id = d.contact_id WHERE d.channel = 'sms' AND d.status IN ('sent', 'delivered') GROUP BY 1`).all() as Array<{ g: string; c: number }>) at(r.g).smsMinor = r.c;
  db.close();
  return out;
}

const WRITE_DELIVERIES = 35_000;

/** Inserts the same small history into two fresh databases, triggers on, with and without the money triggers: deliveries per second. */
async function writeCost(dir: string): Promise<{ with: number; without: number }> {
  const rate = async (load: Load) => {
    const file = join(dir, `write-${load}.sqlite`);
    const fresh = await openMigratedDatabase(file);
    if (load === 'all-triggers') await fresh.insertInto('money_attributes' as never).values({ name: 'tariff' } as never).execute(); // as after a grouped read
    await fresh.destroy();
    const t0 = performance.now();
    const counts = generate(file, WRITE_DELIVERIES, load);
    return counts.deliveries / ((performance.now() - t0) / 1000);
  };
  const without = await rate('no-money-triggers');
  return { without, with: await rate('all-triggers') };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-bench-money-'));
  const file = join(dir, 'bench.sqlite');
  try {
    await (await openMigratedDatabase(file)).destroy();
    const t0 = performance.now();
    const counts = generate(file, DELIVERIES);
    const rebuilding = openDatabase(file);
    await rebuildRollups(rebuilding);
    await rebuilding.destroy();
    console.log(`bench:money — data set: ${Object.entries(counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const db = openDatabase(file);
    const api = createApp({ db, funnels: new FunnelRegistry([{ plan, version: 'v1' }]), gateway: noTemporal, log: silentLogger, now: Date.now, apiToken: TOKEN });
    const get = async (query: string) => {
      const res = await api.request(`/api/funnels/bench/stats?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`stats answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return res.json() as Promise<{ groups?: Array<{ key: string; enrolled: number; converted: number; orders: number; revenue: number; messageCost: number }> }>;
    };
    const grouped = await timed(RUNS, () => get('money=true&groupBy=source'));
    const ragged = await timed(RUNS, () => get('money=true&groupBy=campaign&from=2025-02-01T10:17:00Z&to=2025-05-03T15:42:30Z'));
    const plain = await timed(RUNS, () => get(''));
    const t1 = performance.now();
    await get('money=true&groupBy=attribute:tariff'); // rolls `tariff` up: a one-off backfill
    const firstByAttribute = performance.now() - t1;
    const attribute = await timed(RUNS, () => get('money=true&groupBy=attribute:tariff'));
    const rawAttribute = await timed(RAW_RUNS, () => get('money=true&groupBy=attribute:city')); // not declared: the raw path
    const raw = await timed(RAW_RUNS, () => reference(file));
    await db.destroy();
    const same = SOURCES.every((s) => {
      const g = grouped.result.groups?.find((x) => x.key === s);
      const r = raw.result[s];
      return g && r && g.enrolled === r.enrolled && g.converted === r.converted && g.orders === r.orders && Math.round(g.revenue * 100) === r.revenueMinor
        && Math.round(g.messageCost * 100) === r.smsMinor;
    });
    const f = (n: number) => n.toFixed(1);
    console.log(`grouped stats with money (GET …/stats?money=true&groupBy=source): p50 ${f(grouped.p50)} ms, p95 ${f(grouped.p95)} ms over ${RUNS} runs`);
    console.log(`raw baseline (one plain GROUP BY per table, same run): p50 ${f(raw.p50)} ms, p95 ${f(raw.p95)} ms over ${RAW_RUNS} runs; ratio grouped p95 / raw p50 ${(grouped.p95 / raw.p50).toFixed(2)}×`);
    console.log(`grouped by campaign over a period with ragged ends (rollup days, hours and raw minutes): p50 ${f(ragged.p50)} ms, p95 ${f(ragged.p95)} ms`);
    console.log(`ungrouped stats from the rollups (GET …/stats): p95 ${f(plain.p95)} ms`);
    console.log(`grouped by a declared attribute (rollups): p50 ${f(attribute.p50)} ms, p95 ${f(attribute.p95)} ms; its first read, which backfills it, ${f(firstByAttribute)} ms`);
    console.log(`grouped by an attribute the funnel does not declare (raw tables): p50 ${f(rawAttribute.p50)} ms over ${RAW_RUNS} runs`);
    const write = await writeCost(dir);
    console.log(`write cost with the triggers on (${fmt(WRITE_DELIVERIES)} deliveries and their contacts, enrollments, orders): `
      + `${fmt(Math.round(write.without))} deliveries/s without the money triggers, ${fmt(Math.round(write.with))} with them (one attribute rolled up) (${(write.without / write.with).toFixed(2)}× slower)`);
    console.log(`answers ${same ? 'identical to the reference' : 'DIFFERENT from the reference'}`);
    const pass = grouped.p95 <= TARGET_MS;
    console.log(`${pass ? 'PASS' : 'FAIL'}: grouped money p95 ${f(grouped.p95)} ms ${pass ? '≤' : '>'} ${TARGET_MS} ms at ${fmt(counts.deliveries)} deliveries`);
    if (!pass || !same) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
