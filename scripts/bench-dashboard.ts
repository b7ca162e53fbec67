/*
 * npm run bench:dashboard [-- --enrollments 1000000] [--runs 50] [--raw-runs 3] [--keep] [--db FILE]
 *
 * Generates a funnel history in a temp SQLite file (default: 1 000 000 enrollments, ~10 million events, ~6.7 million
 * deliveries, conversions credited under all five models) with the rollup triggers on, then times, for every
 * attribution model over all time and the last 30 days: the funnel page end to end (`GET /dashboard/funnels/:id`,
 * HTML, as a logged-in browser asks for it), the stats API end to end (`GET /api/funnels/:id/stats`) and
 * funnelStats itself; then experiments and two periods with ragged edges. Next to each: the same figures computed
 * from the raw tables, and whether both give the same answer. Ends with PASS/FAIL for the issue's target: the funnel
 * page in ≤ 200 ms p95. `--db FILE` keeps the data set in FILE, and reuses FILE when it exists (no generation).
 */
import SQLite from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { timed, timings } from './bench/stats';
import { openDatabase, openMigratedDatabase } from '../src/db/database';
import { childLists, walkSteps, type Plan } from '../src/dsl/plan';
import type { WorkflowGateway } from '../src/temporal/gateway';
import { ATTRIBUTION_MODELS, creditShares } from '../src/analytics/attribution-models';
import { funnelStats, funnelStatsFromRawTables, type FunnelStats } from '../src/analytics/funnel-stats';
import { experiments, type ExperimentStats } from '../src/analytics/experiments';
import { seededRandom } from '../src/analytics/probability';
import { FunnelRegistry } from '../src/engine/registry';
import { createApp } from '../src/http/app';
import { createDashboard } from '../src/http/dashboard/index';
import { CSRF_COOKIE, SESSION_COOKIE, signSession } from '../src/http/dashboard/session';
import { planFlowCounts, type FlowCounts } from '../src/http/dashboard/data/plan-flow';
import { silentLogger } from '../src/log';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ENROLLMENTS = opt('enrollments', 1_000_000);
const RUNS = opt('runs', 50);
const RAW_RUNS = opt('raw-runs', 3);
const KEEP = args.includes('--keep');
const DB_FILE = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
/** Issue 4's target: the funnel page answers in at most this many ms at p95 (1M enrollments, 10M events). */
const TARGET_MS = 200;
const SECRET = 'bench-secret-0123456789abcdef';
const TOKEN = 'bench-token-0123456789';

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
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

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
      scheduled_at, created_at, sent_at, delivered_at, opened_at, clicked_at, replied_at, failed_at, unsubscribed_at, deferred_until, variant)
      VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    log: db.prepare(`INSERT INTO touch_log (id, delivery_id, enrollment_id, funnel_id, contact_id, touch_id, channel, kind, reason, until, at)
      VALUES (?, ?, ?, 'bench', ?, ?, ?, 'deferred', ?, ?, ?)`),
    event: db.prepare(`INSERT INTO events (id, contact_id, name, properties, value, occurred_at, received_at, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    split: db.prepare(`INSERT INTO split_assignments (enrollment_id, split_id, variant_id, funnel_id, contact_id, at) VALUES (?, 'offer-test', ?, 'bench', ?, ?)`),
    conversion: db.prepare(`INSERT INTO conversions (id, enrollment_id, funnel_id, contact_id, event_id, value, occurred_at) VALUES (?, ?, 'bench', ?, ?, ?, ?)`),
    credit: db.prepare(`INSERT INTO attributions (conversion_id, model, delivery_id, funnel_id, touch_id, credit, revenue, occurred_at) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?)`),
  };
  const counts = { enrollments: 0, contacts: 0, events: 0, deliveries: 0, inFlight: 0, touchLog: 0, conversions: 0, attributions: 0, splitAssignments: 0 };
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
      const deferReason = deferredMs > 0 ? (rand() < 0.7 ? 'quiet_hours' : 'frequency_cap') : null;
      // A deferral that outlasts the data set is still waiting for its window: the ledger row stays `deferred`.
      const inFlight = sentAt !== null && deferReason !== null && sentAt > END;
      const [rowStatus, rowReason] = inFlight ? ['deferred', deferReason] : [status, reason];
      const sent = (t: number | null) => (inFlight ? null : t);
      ins.delivery.run(id, enrollmentId, contactId, touchId, channel, channel, rowStatus, rowReason, at, at, sent(sentAt),
        status === 'delivered' ? sent(sentAt) : null, sent(opened), sent(clicked), sent(replied), status === 'failed' ? at + 5000 : null, sent(unsubscribed),
        inFlight ? at + deferredMs : null, touch === 'offer' || k > 4 ? `offer-test:${variant}` : null);
      counts.deliveries++;
      if (inFlight) counts.inFlight++;
      if (deferReason !== null) {
        ins.log.run(hex('tl', ++ids), id, enrollmentId, contactId, touchId, channel, deferReason, at + deferredMs, at);
        counts.touchLog++;
      }
      if (sentAt !== null && !inFlight) {
        event(contactId, `${touchId}.delivered`, sentAt + 2000);
        if (opened !== null) event(contactId, `${touchId}.opened`, opened);
        if (clicked !== null) event(contactId, `${touchId}.clicked`, clicked);
        if (sentAt <= (convertsAt ?? 0)) reached.push({ id, touchId, at: sentAt });
      }
      if (status === 'delivered' && rand() < 0.2 && !inFlight) event(contactId, 'page.viewed', (sentAt ?? at) + 10 * 60_000);
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

type Times = ReturnType<typeof timings>;


/** A gateway for the API app that refuses every use: the stats endpoint never talks to Temporal. */
const noTemporal: WorkflowGateway = {
  start: () => Promise.reject(new Error('bench: no Temporal')), signal: () => Promise.reject(new Error('bench: no Temporal')),
  currentStep: () => Promise.reject(new Error('bench: no Temporal')), health: () => Promise.reject(new Error('bench: no Temporal')),
  end: () => Promise.reject(new Error('bench: no Temporal')),
  latestRun: () => Promise.reject(new Error('bench: no Temporal')),
  startMigration: () => Promise.reject(new Error('bench: no Temporal')),
};

/** The count label of the plan drawing's edge into `to` ('' when it shows none, null when the edge is not drawn: the first step of an arm). */
const edgeLabel = (html: string, to: string) => {
  const edge = new RegExp(`<g class="edge" data-edge-to="${to.replace('.', '\\.')}">.*?(?:data-count="([^"]*)"|</g>)`, 's').exec(html);
  return edge ? (edge[1] ?? '') : null;
};

/** The edges where the page's plan drawing does not show the count computed from the raw tables (printed when any). */
function drawingDiffers(html: string, flow: FlowCounts): string[] {
  const wrong = [...flow.steps, ...flow.arms]
    .filter(([to, n]) => ![null, n === undefined ? '' : String(n)].includes(edgeLabel(html, to)))
    .map(([to, n]) => `${to}: page ${edgeLabel(html, to) || '—'}, raw tables ${n ?? '—'}`);
  const drawn = [...flow.steps, ...flow.arms].filter(([to]) => edgeLabel(html, to) !== null).length;
  if (drawn === 0) wrong.push('no labelled edge found on the page');
  if (wrong.length > 0) console.log(`    plan drawing differs: ${wrong.join('; ')}`);
  return wrong;
}

function tableCounts(file: string) {
  const db = new SQLite(file, { readonly: true });
  const n = (q: string) => Number((db.prepare(q).get() as { n: number }).n);
  const out = {
    enrollments: n('SELECT count(*) AS n FROM enrollments'), events: n('SELECT count(*) AS n FROM events'),
    deliveries: n('SELECT count(*) AS n FROM deliveries'), inFlight: n(`SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'deferred')`),
    conversions: n('SELECT count(*) AS n FROM conversions'), attributions: n('SELECT count(*) AS n FROM attributions'),
  };
  db.close();
  return out;
}

async function main(): Promise<void> {
  const dir = DB_FILE ? null : mkdtempSync(join(tmpdir(), 'autofunnel-bench-'));
  const file = DB_FILE ?? join(dir!, 'bench.sqlite');
  let enrollments: number;
  if (DB_FILE && existsSync(DB_FILE)) {
    const counts = tableCounts(file);
    enrollments = counts.enrollments;
    console.log(`bench:dashboard — reusing ${file}`);
    console.log(`\ndata set: ${Object.entries(counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}\n`);
  } else {
    console.log(`bench:dashboard — ${fmt(ENROLLMENTS)} enrollments into ${file}`);
    await prepare(file);
    const t0 = performance.now();
    const counts = generate(file);
    enrollments = counts.enrollments;
    const genSeconds = (performance.now() - t0) / 1000;
    const size = statSync(file).size;
    console.log(`\ndata set: ${Object.entries(counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}`);
    console.log(`generated in ${genSeconds.toFixed(1)} s with the rollup triggers on (${fmt(Math.round(counts.events / genSeconds))} events/s); file ${(size / 2 ** 30).toFixed(2)} GiB\n`);
  }

  const db = openDatabase(file);
  const funnels = new FunnelRegistry([{ plan, version: 'v1' }]);
  const dashboard = createDashboard({ db, funnels, adminPassword: 'bench-password', secretKey: SECRET });
  const api = createApp({ db, funnels, gateway: noTemporal, log: silentLogger, now: Date.now, apiToken: TOKEN });
  const cookie = `${SESSION_COOKIE}=${signSession(SECRET, Date.now())}; ${CSRF_COOKIE}=${'c'.repeat(43)}`;
  const get = async (app: typeof api, path: string, headers: Record<string, string>) => {
    const res = await app.request(path, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res;
  };
  const page = async (query: string) => (await get(dashboard, `/dashboard/funnels/bench?${query}`, { cookie })).text();
  const statsApi = async (query: string) => (await get(api, `/api/funnels/bench/stats?${query}`, { authorization: `Bearer ${TOKEN}` })).json();

  const f = (n: number) => n.toFixed(1);
  const rows: string[][] = [];
  const pageP95: Array<{ name: string; p95: number }> = [];
  const apiP95: Array<{ name: string; p95: number }> = [];
  let identical = true;
  const addRow = (name: string, fast: Times, raw: Times, same: boolean) => {
    identical &&= same;
    rows.push([name, f(fast.p50), f(fast.p95), f(fast.max), f(raw.p50), f(raw.p95), f(raw.max), `${Math.round(raw.p50 / fast.p50)}×`, same ? 'yes' : 'NO']);
    console.log(`  ${name}: p95 ${f(fast.p95)} ms, raw tables p50 ${f(raw.p50)} ms${same ? '' : ' — DIFFERENT ANSWER'}`);
  };
  const row = async (name: string, rollup: () => Promise<unknown>, raw: () => Promise<unknown>) => {
    const a = await timed(RUNS, rollup);
    const b = await timed(RAW_RUNS, raw);
    addRow(name, a, b, JSON.stringify(a.result) === JSON.stringify(b.result));
  };

  // Each model and period: the page and the stats API end to end, and funnelStats itself, against the same figures
  // computed from the raw tables (funnelStats + experiments + the drawing's edge counts, timed per part in the same runs).
  const periods = [
    { label: 'all time', query: '', period: {} },
    { label: 'last 30 days', query: `&from=${day(END - 30 * D)}&to=${day(END - D)}`, period: { from: END - 30 * D, to: END } },
  ];
  for (const { label, query, period } of periods) {
    const rawExperimentsMs: number[] = [];
    let report: ExperimentStats | null = null;
    for (const model of ATTRIBUTION_MODELS) {
      const raw = { stats: [] as number[], page: [] as number[] };
      let answer: { stats: FunnelStats; flow: FlowCounts } | null = null;
      for (let i = 0; i <= RAW_RUNS; i++) { // run 0 warms up and gives the answer
        const t0 = performance.now();
        const stats = await funnelStatsFromRawTables(db, plan, { model, ...period });
        const t1 = performance.now();
        report = await experiments(db, plan, period, 'raw');
        const t2 = performance.now();
        const flow = await planFlowCounts(db, plan, period, stats, report);
        if (i === 0) { answer = { stats, flow }; continue; }
        raw.stats.push(t1 - t0);
        rawExperimentsMs.push(t2 - t1);
        raw.page.push(performance.now() - t0);
      }
      const p = await timed(RUNS, () => page(`model=${model}${query}`));
      const s = await timed(RUNS, () => statsApi(`model=${model}${query}`));
      const fn = await timed(RUNS, () => funnelStats(db, plan, { model, ...period }));
      const same = JSON.stringify(fn.result) === JSON.stringify(answer!.stats);
      addRow(`funnel page ${model}, ${label}`, p, timings(raw.page), same && drawingDiffers(p.result, answer!.flow).length === 0);
      addRow(`stats API ${model}, ${label}`, s, timings(raw.stats), JSON.stringify(s.result) === JSON.stringify(answer!.stats));
      addRow(`funnelStats ${model}, ${label}`, fn, timings(raw.stats), same);
      if (model === ATTRIBUTION_MODELS[0]) {
        const edges = [...walkSteps(plan.steps)].flatMap((st) => [st.id, ...childLists(st).map((l) => l.key)]).filter((to) => edgeLabel(p.result, to) !== null);
        const count = (to: string) => answer!.flow.steps.get(to) ?? answer!.flow.arms.get(to);
        console.log(`    plan drawing, ${label}: enrolled ${fmt(answer!.flow.enrolled)}; ${edges.map((to) => `${to} ${fmt(count(to) ?? NaN)}`).join(', ')}`);
      }
      pageP95.push({ name: `${model}, ${label}`, p95: p.p95 });
      apiP95.push({ name: `${model}, ${label}`, p95: s.p95 });
    }
    const e = await timed(RUNS, () => experiments(db, plan, period));
    addRow(`experiments, ${label}`, e, timings(rawExperimentsMs), JSON.stringify(e.result) === JSON.stringify(report));
  }
  const ragged = { from: END - 30 * D + 17 * 60_000 + 3, to: END - 5 * H - 42 * 60_000 };
  await row('funnelStats linear, 30 days ragged edges', () => funnelStats(db, plan, { model: 'linear', ...ragged }),
    () => funnelStatsFromRawTables(db, plan, { model: 'linear', ...ragged }));
  await row('experiments, 30 days ragged edges', () => experiments(db, plan, ragged), () => experiments(db, plan, ragged, 'raw'));
  await db.destroy();

  const head = ['query', 'rollups p50', 'p95', 'max', 'raw p50', 'p95', 'max', 'raw/rollups', 'same answer'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\ntimes in ms over ${fmt(enrollments)} enrollments; rollups: ${RUNS} runs each, raw tables: ${RAW_RUNS} runs each (after one warm-up run)`);
  console.log('funnel page = GET /dashboard/funnels/bench?model=… (HTML, signed session); stats API = GET /api/funnels/bench/stats?model=… (JSON, bearer);');
  console.log('their raw column computes the same figures from the raw tables (page: funnelStats + experiments + plan-drawing counts)\n');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`\nrollups and raw tables gave ${identical ? 'identical answers for every query' : 'DIFFERENT answers (see "same answer")'}`);
  const worst = (list: Array<{ name: string; p95: number }>) => list.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const worstPage = worst(pageP95);
  const worstApi = worst(apiP95);
  const pass = worstPage.p95 <= TARGET_MS;
  const scale = enrollments >= 1_000_000 ? '' : ` (at ${fmt(enrollments)} enrollments; the target is set for 1,000,000)`;
  console.log(`stats API: slowest p95 ${f(worstApi.p95)} ms (${worstApi.name})`);
  console.log(`${pass ? 'PASS' : 'FAIL'}: funnel page slowest p95 ${f(worstPage.p95)} ms (${worstPage.name}) ${pass ? '≤' : '>'} ${TARGET_MS} ms${scale}`);
  if (KEEP || DB_FILE) console.log(`kept ${file}`);
  else rmSync(dir!, { recursive: true, force: true });
  if (!identical || !pass) process.exitCode = 1;
}

await main();
