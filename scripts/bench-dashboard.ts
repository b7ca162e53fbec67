/*
 * npm run bench:dashboard [-- --enrollments 1000000] [--runs 50] [--raw-runs 3] [--keep]
 *
 * Generates a funnel history in a temp SQLite file (default: 1 000 000 enrollments, ~10 million events, ~6 million
 * deliveries, conversions credited under all five models) with the rollup triggers on, then times the stats API's
 * queries (funnelStats per model, experiments) over the rollups and the same figures computed from the raw tables,
 * and checks that both give the same answer.
 */
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, openMigratedDatabase } from '../src/db/database';
import type { Plan } from '../src/dsl/plan';
import { ATTRIBUTION_MODELS, creditShares } from '../src/analytics/attribution-models';
import { funnelStats, funnelStatsFromRawTables } from '../src/analytics/funnel-stats';
import { experiments } from '../src/analytics/experiments';
import { seededRandom } from '../src/analytics/probability';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ENROLLMENTS = opt('enrollments', 1_000_000);
const RUNS = opt('runs', 50);
const RAW_RUNS = opt('raw-runs', 3);
const KEEP = args.includes('--keep');

const H = 3_600_000;
const D = 24 * H;
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN_DAYS = 180;
const END = START + SPAN_DAYS * D;

const email = (id: string) => ({ type: 'email' as const, id, subject: id, text: id });
/** The benchmark funnel: seven touches a day apart (one held out for 10%), a two-variant split, a goal with a default value. */
const plan: Plan = {
  id: 'bench', name: 'Bench', entry: 'lead.created', timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 14 * D, exit: true, value: 4900 },
  steps: [
    email('welcome'), { type: 'wait', id: 'w1', ms: D }, email('lesson-1'), { type: 'wait', id: 'w2', ms: D },
    { type: 'sms', id: 'reminder', text: 'r', holdout: 0.1 }, { type: 'wait', id: 'w3', ms: D },
    { type: 'telegram', id: 'tip', text: 't' }, { type: 'wait', id: 'w4', ms: D },
    { type: 'split', id: 'offer-test', variants: [{ id: 'a', weight: 1, steps: [email('offer-a')] }, { id: 'b', weight: 1, steps: [email('offer-b')] }] },
    { type: 'wait', id: 'w5', ms: D }, email('case'), { type: 'wait', id: 'w6', ms: D }, email('last-call'),
  ],
};
const TOUCHES = [
  ['welcome', 'email'], ['lesson-1', 'email'], ['reminder', 'sms'], ['tip', 'telegram'], ['offer', 'email'], ['case', 'email'], ['last-call', 'email'],
] as const;

const hex = (prefix: string, n: number) => `${prefix}_${n.toString(16).padStart(32, '0')}`;
const fmt = (n: number) => n.toLocaleString('en-US');

async function prepare(file: string): Promise<void> {
  await (await openMigratedDatabase(file)).destroy(); // schema, rollups and their triggers
}

function generate(file: string) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const rand = seededRandom(20250101);
  const ins = {
    contact: db.prepare(`INSERT INTO contacts (id, email, attributes, created_at, updated_at) VALUES (?, ?, '{}', ?, ?)`),
    enrollment: db.prepare(`INSERT INTO enrollments (id, funnel_id, contact_id, version, workflow_id, status, enrolled_at, finished_at, converted_at)
      VALUES (?, 'bench', ?, 'v1', ?, ?, ?, ?, ?)`),
    delivery: db.prepare(`INSERT INTO deliveries (id, enrollment_id, funnel_id, contact_id, touch_id, channel, planned_channel, status, reason, attempts,
      scheduled_at, created_at, sent_at, delivered_at, opened_at, clicked_at, replied_at, failed_at, unsubscribed_at, variant)
      VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    log: db.prepare(`INSERT INTO touch_log (id, delivery_id, enrollment_id, funnel_id, contact_id, touch_id, channel, kind, reason, until, at)
      VALUES (?, ?, ?, 'bench', ?, ?, ?, 'deferred', ?, ?, ?)`),
    event: db.prepare(`INSERT INTO events (id, contact_id, name, properties, value, occurred_at, received_at, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    split: db.prepare(`INSERT INTO split_assignments (enrollment_id, split_id, variant_id, funnel_id, contact_id, at) VALUES (?, 'offer-test', ?, 'bench', ?, ?)`),
    conversion: db.prepare(`INSERT INTO conversions (id, enrollment_id, funnel_id, contact_id, event_id, value, occurred_at) VALUES (?, ?, 'bench', ?, ?, ?, ?)`),
    credit: db.prepare(`INSERT INTO attributions (conversion_id, model, delivery_id, funnel_id, touch_id, credit, revenue, occurred_at) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?)`),
  };
  const counts = { enrollments: 0, contacts: 0, events: 0, deliveries: 0, touchLog: 0, conversions: 0, attributions: 0, splitAssignments: 0 };
  let ids = 0;
  const event = (contactId: string, name: string, at: number, value: number | null = null) => {
    ins.event.run(hex('ev', ++ids), contactId, name, '{"funnelId":"bench"}', value, at, at, at);
    counts.events++;
  };

  const one = (i: number) => {
    const enrolledAt = START + Math.floor(rand() * (SPAN_DAYS - 1) * D);
    const contactId = hex('ct', i);
    const enrollmentId = hex('en', i);
    ins.contact.run(contactId, `c${i}@example.test`, enrolledAt, enrolledAt);
    counts.contacts++;
    event(contactId, 'lead.created', enrolledAt);
    // ~6% convert, at a time skewed towards the first days; 30% of them pay a custom amount.
    const convertsAt = rand() < 0.06 ? enrolledAt + Math.floor(H + rand() * rand() * 10 * D) : null;
    const lastPossible = enrolledAt + TOUCHES.length * D;
    const status = convertsAt !== null && convertsAt < END ? 'converted' : lastPossible > END ? 'active' : 'exited';
    ins.enrollment.run(enrollmentId, contactId, `funnel:bench:${contactId}`, status, enrolledAt,
      status === 'exited' ? lastPossible : status === 'converted' ? convertsAt : null, status === 'converted' ? convertsAt : null);
    counts.enrollments++;
    const reached: Array<{ id: string; touchId: string; at: number }> = [];
    TOUCHES.forEach(([touch, channel], k) => {
      const at = enrolledAt + k * D + Math.floor(rand() * 60_000);
      if (at > END || (convertsAt !== null && at > convertsAt)) return; // the goal ends the enrollment
      const variant = rand() < 0.5 ? 'a' : 'b';
      const touchId = touch === 'offer' ? `offer-${variant}` : touch;
      if (touch === 'offer') { ins.split.run(enrollmentId, variant, contactId, at); counts.splitAssignments++; }
      const id = hex('dl', ++ids);
      const r = rand();
      const status = touch === 'reminder' && r < 0.1 ? 'held_out' : r < 0.13 ? 'skipped' : r < 0.16 ? 'failed' : r < 0.2 ? 'sent' : 'delivered';
      const reason = status === 'skipped' ? (r < 0.115 ? 'no_consent' : r < 0.125 ? 'no_address' : 'frequency_cap') : status === 'failed' ? 'bounced' : null;
      const deferredMs = rand() < 0.05 ? 2 * H + Math.floor(rand() * 8 * H) : 0;
      const sentAt = status === 'sent' || status === 'delivered' ? at + deferredMs + 1000 : null;
      const opened = sentAt !== null && rand() < 0.35 ? sentAt + Math.floor(rand() * 6 * H) : null;
      const clicked = opened !== null && rand() < 0.25 ? opened + 60_000 : null;
      const replied = sentAt !== null && rand() < 0.01 ? sentAt + 2 * H : null;
      const unsubscribed = sentAt !== null && rand() < 0.005 ? sentAt + 3 * H : null;
      ins.delivery.run(id, enrollmentId, contactId, touchId, channel, channel, status, reason, at, at, sentAt,
        status === 'delivered' ? sentAt : null, opened, clicked, replied, status === 'failed' ? at + 5000 : null, unsubscribed,
        touch === 'offer' || k > 4 ? `offer-test:${variant}` : null);
      counts.deliveries++;
      if (deferredMs > 0) {
        ins.log.run(hex('tl', ++ids), id, enrollmentId, contactId, touchId, channel, rand() < 0.7 ? 'quiet_hours' : 'frequency_cap', at + deferredMs, at);
        counts.touchLog++;
      }
      if (sentAt !== null) {
        event(contactId, `${touchId}.delivered`, sentAt + 2000);
        if (opened !== null) event(contactId, `${touchId}.opened`, opened);
        if (clicked !== null) event(contactId, `${touchId}.clicked`, clicked);
        if (sentAt <= (convertsAt ?? 0)) reached.push({ id, touchId, at: sentAt });
      }
      if (status === 'delivered' && rand() < 0.2) event(contactId, 'page.viewed', (sentAt ?? at) + 10 * 60_000);
    });
    if (convertsAt !== null && convertsAt < END) {
      const value = rand() < 0.3 ? Math.round(1000 + rand() * 20_000) : plan.goal.value!;
      const eventId = hex('ev', ++ids);
      ins.event.run(eventId, contactId, 'order.paid', '{}', value, convertsAt, convertsAt, convertsAt);
      counts.events++;
      const conversionId = hex('cv', ++ids);
      ins.conversion.run(conversionId, enrollmentId, contactId, eventId, value, convertsAt);
      counts.conversions++;
      const window = reached.filter((t) => t.at >= convertsAt - plan.goal.withinMs);
      for (const model of ATTRIBUTION_MODELS) { // last_touch first, as recordConversion writes them
        creditShares(model, window.map((t) => t.at), 7 * D).forEach((share, k) => {
          if (share <= 0) return;
          const t = window[k]!;
          ins.credit.run(conversionId, model, t.id, t.touchId, share, share * value, convertsAt);
          counts.attributions++;
        });
      }
    }
  };

  const batch = 5_000;
  let nextReport = 0.1;
  for (let i = 0; i < ENROLLMENTS; i += batch) {
    db.transaction(() => { for (let j = i; j < Math.min(ENROLLMENTS, i + batch); j++) one(j); })();
    if ((i + batch) / ENROLLMENTS >= nextReport) {
      process.stdout.write(`  ${Math.round(((i + batch) / ENROLLMENTS) * 100)}%: ${fmt(counts.events)} events, ${fmt(counts.deliveries)} deliveries\n`);
      nextReport += 0.1;
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return counts;
}

function percentiles(ms: number[]): { p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}

async function time<T>(runs: number, f: () => Promise<T>): Promise<{ p50: number; p95: number; max: number; result: T }> {
  let result = await f(); // warm-up, also the answer compared between rollups and raw tables
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await f();
    ms.push(performance.now() - t);
  }
  return { ...percentiles(ms), result };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-bench-'));
  const file = join(dir, 'bench.sqlite');
  console.log(`bench:dashboard — ${fmt(ENROLLMENTS)} enrollments into ${file}`);
  await prepare(file);
  const t0 = performance.now();
  const counts = generate(file);
  const genSeconds = (performance.now() - t0) / 1000;
  const size = statSync(file).size;
  console.log(`\ndata set: ${Object.entries(counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}`);
  console.log(`generated in ${genSeconds.toFixed(1)} s with the rollup triggers on (${fmt(Math.round(counts.events / genSeconds))} events/s); file ${(size / 2 ** 30).toFixed(2)} GiB\n`);

  const db = openDatabase(file);
  const last30 = { from: END - 30 * D, to: END };
  const ragged = { from: END - 30 * D + 17 * 60_000 + 3, to: END - 5 * H - 42 * 60_000 };
  const rows: string[][] = [];
  let identical = true;
  const row = async (name: string, rollup: () => Promise<unknown>, raw: () => Promise<unknown>) => {
    const a = await time(RUNS, rollup);
    const b = await time(RAW_RUNS, raw);
    const same = JSON.stringify(a.result) === JSON.stringify(b.result);
    identical &&= same;
    const f = (n: number) => n.toFixed(1);
    rows.push([name, f(a.p50), f(a.p95), f(a.max), f(b.p50), f(b.p95), f(b.max), `${Math.round(b.p50 / a.p50)}×`, same ? 'yes' : 'NO']);
    console.log(`  ${name}: rollups p95 ${f(a.p95)} ms, raw p50 ${f(b.p50)} ms`);
  };
  for (const model of ATTRIBUTION_MODELS) {
    await row(`funnelStats ${model}, all time`, () => funnelStats(db, plan, { model }), () => funnelStatsFromRawTables(db, plan, { model }));
  }
  await row('funnelStats last_touch, last 30 days', () => funnelStats(db, plan, { model: 'last_touch', ...last30 }),
    () => funnelStatsFromRawTables(db, plan, { model: 'last_touch', ...last30 }));
  await row('funnelStats linear, 30 days ragged edges', () => funnelStats(db, plan, { model: 'linear', ...ragged }),
    () => funnelStatsFromRawTables(db, plan, { model: 'linear', ...ragged }));
  await row('experiments, all time', () => experiments(db, plan, {}), () => experiments(db, plan, {}, 'raw'));
  await row('experiments, 30 days ragged edges', () => experiments(db, plan, ragged), () => experiments(db, plan, ragged, 'raw'));
  await db.destroy();

  const head = ['query', 'rollups p50', 'p95', 'max', 'raw p50', 'p95', 'max', 'raw/rollups', 'same answer'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\ntimes in ms; rollups: ${RUNS} runs each, raw tables: ${RAW_RUNS} runs each (after one warm-up run)\n`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`\nrollups and raw tables gave ${identical ? 'identical answers' : 'DIFFERENT answers'} for every query`);
  if (KEEP) console.log(`kept ${file}`);
  else rmSync(dir, { recursive: true, force: true });
  if (!identical) process.exitCode = 1;
}

await main();
