/*
 * npm run bench:history [-- --enrollments 10000] [--cache 500] [--samples 10] [--worker-heap-mb 512] [--json]
 *
 * What one pinned enrollment costs, on the real stack: the embedded Temporal dev server (as `npm start` runs it, in a
 * throwaway DATA_DIR), `npm run worker` as its own process, the shipped funnels. Prints, each next to the issue's
 * "today" figure and its target: the workflow's start input, a sendTouch input, the history of a sleeping enrollment
 * (course-welcome and webinar-autofunnel, and a run with the whole plan in its input as before this change), the
 * worker's RSS while N webinar-autofunnel enrollments go to sleep (sampled as they grow: flat once the cache is full),
 * and the dev server's disk and writes per sleeping enrollment next to its own floor (raw starts measured in the same
 * run). `benchHistory()` returns the figures, for the benchmark suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Plan } from '../src/dsl/plan';
import { projectRoot, findTemporalCli } from '../src/temporal/binaries';
import { startDevServer } from '../src/temporal/dev-server';
import { openMigratedDatabase } from '../src/db/database';
import { storeFunnelVersions } from '../src/db/funnels';
import { upsertContact } from '../src/db/contacts';
import { loadFunnels } from '../src/dsl/load';
import { touchesOf } from '../src/dsl/plan';
import { FunnelRegistry } from '../src/engine/registry';
import { enroll } from '../src/engine/enroll';
import { createWorkflowGateway, enrollmentWorkflowId } from '../src/temporal/gateway';
import { syncWebinars } from '../src/webinars/index';
import { touchSettings } from '../src/activities/touch-ref';
import { createLogger, silentLogger } from '../src/log';
import { installTemporalLogging } from '../src/temporal/logging';
import { DEFAULT_CACHED_WORKFLOWS } from '../src/temporal/worker';
import type { EngineDeps } from '../src/engine/deps';

const { History } = proto.temporal.api.history.v1;
const KB = 1024;
const MiB = 1024 * 1024;

/** The figures the issue measured before this change, and its targets. */
export const TODAY = {
  startInputBytes: 14.7 * KB, sendTouchInputBytes: [1.7 * KB, 2.5 * KB], sleepingHistoryBytes: 18.8 * KB,
  workerRssBytes: 1.4 * 1024 * MiB, workerRssAtCached: 2310, diskPerEnrollmentBytes: 39 * KB, writesPerEnrollmentBytes: 2.85 * MiB,
} as const;
export const TARGET = { sleepingHistoryBytes: 5 * KB, sendTouchInputBytes: 600, workerRssBytes: 1024 * MiB, workerRssAtEnrollments: 100_000 } as const;

/** What the bench measured. */
export interface HistoryFigures {
  machine: string;
  cachedWorkflows: number;
  /** The worker's V8 heap limit when the run set one (MB). */
  workerHeapMb: number | null;
  startInputBytes: { courseWelcome: number; webinar: number; fullPlanCourseWelcome: number };
  sendTouchInputBytes: { min: number; max: number; fullShapeMin: number; fullShapeMax: number };
  sleepingHistoryBytes: { courseWelcome: number; webinar: number; fullPlanCourseWelcome: number; events: number };
  /** The worker's RSS as the sleeping webinar-autofunnel enrollments grew. */
  rss: Array<{ enrollments: number; rssBytes: number }>;
  enrollments: number;
  enrollPerSecond: number;
  disk: { perEnrollmentBytes: number; floorPerStartBytes: number; writesPerEnrollmentBytes: number; writesFloorPerStartBytes: number };
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * KB;
const writesOf = (pid: number) => Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);

/** Bytes the dev server's database holds: its pages in use (free pages and the WAL's extra copies left out). */
function usedBytes(file: string): number {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const pages = Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }));
    return pages * Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
}

/** A zone where it is early afternoon now, so the funnel's 09:00–21:00 send window never defers the first touch. */
function afternoonZone(now: number): string {
  let off = 14 - new Date(now).getUTCHours();
  if (off > 14) off -= 24;
  if (off < -12) off += 24;
  return off === 0 ? 'Etc/GMT' : `Etc/GMT${off > 0 ? '-' : '+'}${Math.abs(off)}`;
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Starts `npm run worker`'s code as its own process against the dev server and the bench's database. */
function startWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/worker.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (b: Buffer) => { out = (out + b.toString()).slice(-20_000); });
  child.stderr!.on('data', (b: Buffer) => { out = (out + b.toString()).slice(-20_000); });
  return { child, output: () => out };
}

/** Measures everything; `enrollments` sleeping webinar-autofunnel enrollments, RSS sampled `samples` times on the way. */
export async function benchHistory(opts: { enrollments?: number; cachedWorkflows?: number; samples?: number; workerHeapMb?: number; progress?: (line: string) => void } = {}): Promise<HistoryFigures> {
  const began = Date.now();
  const say = opts.progress ?? (() => undefined);
  const n = opts.enrollments ?? 10_000;
  const cached = opts.cachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS;
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-bench-history-'));
  const cli = findTemporalCli();
  if (!cli) throw new Error('the Temporal CLI was not found: run npm run setup');
  const port = 17_000 + Math.floor(Math.random() * 2000);
  const server = await startDevServer({ cliPath: cli, dataDir: join(dir, 'temporal'), port, uiPort: port + 1, namespace: 'default', log: silentLogger });
  const temporalDb = join(dir, 'temporal', 'temporal.sqlite');
  const db = await openMigratedDatabase(join(dir, 'autofunnel.sqlite'));
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const taskQueue = 'bench-history';
  let worker: ReturnType<typeof startWorker> | undefined;
  try {
    const loaded = await loadFunnels(join(projectRoot, 'funnels'));
    const funnels = loaded.funnels.map((f) => ({ plan: f.plan, version: f.version }));
    await storeFunnelVersions(db, funnels);
    await syncWebinars(db, funnels.map((f) => f.plan), Date.now());
    const deps: EngineDeps = { db, gateway: createWorkflowGateway(client, taskQueue), funnels: new FunnelRegistry(funnels), log: silentLogger, now: Date.now };
    const plan = (id: string) => funnels.find((f) => f.plan.id === id)!;
    const zone = afternoonZone(Date.now());

    // The server's own floor: raw starts of a workflow nobody polls for (its execution and visibility rows).
    const floorStarts = Math.min(2000, Math.max(200, Math.round(n / 10)));
    const [floorUsed, floorWrites] = [usedBytes(temporalDb), writesOf(server.pid)];
    await pool([...Array(floorStarts).keys()], 32, async (i) => {
      await client.workflow.start('benchFloor', { workflowId: `floor-${i}`, taskQueue: 'bench-floor-nobody-polls', args: [{ i }] });
    });
    await sleep(2000);
    const floorPerStart = (usedBytes(temporalDb) - floorUsed) / floorStarts;
    const floorWritesPerStart = (writesOf(server.pid) - floorWrites) / floorStarts;
    say(`floor: ${floorStarts} raw starts in ${((Date.now() - began) / 1000).toFixed(0)} s, ${Math.round(floorPerStart)} B each in use, ${Math.round(floorWritesPerStart)} B written each`);

    worker = startWorker({
      TEMPORAL_ADDRESS: server.address, DATA_DIR: dir, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'error', WORKER_CACHED_WORKFLOWS: String(cached),
      ...(opts.workerHeapMb && { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${opts.workerHeapMb}`.trim() }),
    });
    const contact = async (i: number) => (await upsertContact(db, {
      externalId: `bench-${i}`, email: `bench-${i}@example.test`, name: `Участник ${i}`, timezone: zone, consent: { email: true },
    }, 'bench')).contact.id;
    const resting = async (funnelId: string, step: string) => Number((await db.selectFrom('enrollments').select((eb) => eb.fn.countAll().as('c'))
      .where('funnel_id', '=', funnelId).where('current_step', '=', step).executeTakeFirstOrThrow()).c);
    const untilResting = async (funnelId: string, step: string, count: number) => {
      const deadline = Date.now() + 600_000 + count * 50;
      while ((await resting(funnelId, step)) < count) {
        if (worker!.child.exitCode !== null) throw new Error(`the worker exited: ${worker!.output()}`);
        if (Date.now() > deadline) throw new Error(`only ${await resting(funnelId, step)} of ${count} ${funnelId} enrollments reached ${step}`);
        await sleep(250);
      }
    };
    const historyOf = async (workflowId: string) => {
      const h = await client.workflow.getHandle(workflowId).fetchHistory();
      const events = h.events ?? [];
      return {
        bytes: History.encode(h).finish().length, events: events.length,
        start: events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data?.length ?? 0,
        sends: events.flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTouch' ? [e.activityTaskScheduledEventAttributes.input?.payloads?.[0]?.data?.length ?? 0] : [])),
      };
    };

    // One course-welcome enrollment (the issue's figures) the way the engine starts it now, and one as before this change.
    const cw = plan('course-welcome');
    const lean = await contact(-1);
    await enroll(deps, 'course-welcome', lean);
    const legacy = await contact(-2);
    const legacyRow = { enrollmentId: 'en_bench_full_plan' };
    await db.insertInto('enrollments').values({
      id: legacyRow.enrollmentId, funnel_id: 'course-welcome', contact_id: legacy, version: cw.version, workflow_id: enrollmentWorkflowId('course-welcome', legacy),
      status: 'active', current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: Date.now(), finished_at: null, converted_at: null, workflow_started_at: Date.now(),
    }).execute();
    await client.workflow.start('enrollmentWorkflow', {
      workflowId: enrollmentWorkflowId('course-welcome', legacy), taskQueue,
      args: [{ enrollmentId: legacyRow.enrollmentId, funnelId: 'course-welcome', contactId: legacy, version: cw.version, plan: cw.plan, enrolledAt: Date.now(), trigger: null }],
    });
    await untilResting('course-welcome', 'night-1', 2);
    const cwLean = await historyOf(enrollmentWorkflowId('course-welcome', lean));
    const cwFull = await historyOf(enrollmentWorkflowId('course-welcome', legacy));
    // The send input as the code before this change built it: the touch with its content, the settings, the trigger.
    const fullShapes = touchesOf(cw.plan.steps).map((touch) => JSON.stringify({
      enrollmentId: legacyRow.enrollmentId, funnelId: 'course-welcome', contactId: legacy, funnelName: cw.plan.name, touch,
      trigger: { id: 'ev_00000000000000000000000000000000', name: 'lead.created', properties: {}, value: null, occurredAt: Date.now() },
      scheduledAt: Date.now(), now: Date.now(), settings: touchSettings(cw.plan as Plan, touch),
    }).length);

    // N sleeping webinar-autofunnel enrollments, the worker's RSS sampled as they grow.
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await contact(i));
    say(`${n} contacts stored; enrolling into webinar-autofunnel (worker cache ${cached})`);
    const samples = Math.max(1, opts.samples ?? 10);
    const rss: HistoryFigures['rss'] = [{ enrollments: 0, rssBytes: rssOf(worker.child.pid!) }];
    const [diskBefore, writesBefore] = [usedBytes(temporalDb), writesOf(server.pid)];
    const enrollStart = Date.now();
    for (let s = 1; s <= samples; s++) {
      const from = Math.floor(((s - 1) * n) / samples);
      const to = Math.floor((s * n) / samples);
      await pool(ids.slice(from, to), 32, async (id) => { await enroll(deps, 'webinar-autofunnel', id); });
      await untilResting('webinar-autofunnel', 'bot', to);
      rss.push({ enrollments: to, rssBytes: rssOf(worker.child.pid!) });
      say(`${to} sleeping after ${((Date.now() - enrollStart) / 1000).toFixed(0)} s: worker RSS ${(rss[rss.length - 1]!.rssBytes / MiB).toFixed(0)} MiB`);
    }
    const enrollPerSecond = n / ((Date.now() - enrollStart) / 1000);
    await sleep(5000);
    rss.push({ enrollments: n, rssBytes: rssOf(worker.child.pid!) });
    const disk = (usedBytes(temporalDb) - diskBefore) / n;
    const writes = (writesOf(server.pid) - writesBefore) / n;
    const web = await historyOf(enrollmentWorkflowId('webinar-autofunnel', ids[ids.length - 1]!));
    const sends = [...cwLean.sends, ...web.sends];
    return {
      machine: `${cpus().length} cores, node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      cachedWorkflows: cached, workerHeapMb: opts.workerHeapMb ?? null,
      startInputBytes: { courseWelcome: cwLean.start, webinar: web.start, fullPlanCourseWelcome: cwFull.start },
      sendTouchInputBytes: { min: Math.min(...sends), max: Math.max(...sends), fullShapeMin: Math.min(...fullShapes), fullShapeMax: Math.max(...fullShapes) },
      sleepingHistoryBytes: { courseWelcome: cwLean.bytes, webinar: web.bytes, fullPlanCourseWelcome: cwFull.bytes, events: web.events },
      rss, enrollments: n, enrollPerSecond,
      disk: { perEnrollmentBytes: disk, floorPerStartBytes: floorPerStart, writesPerEnrollmentBytes: writes, writesFloorPerStartBytes: floorWritesPerStart },
      wallMs: Date.now() - began,
    };
  } finally {
    if (worker && worker.child.exitCode === null) {
      const exited = new Promise((r) => worker!.child.once('exit', r));
      worker.child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
    await connection.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (b: number) => `${(b / KB).toFixed(1)} KB`;
const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The figures as the table the README quotes. */
export function formatHistoryFigures(f: HistoryFigures): string {
  const last = f.rss[f.rss.length - 1]!.rssBytes;
  const full = f.rss.find((r) => r.enrollments >= f.cachedWorkflows) ?? f.rss[f.rss.length - 1]!;
  const rows: Array<[string, string, string, string]> = [
    ['start input (course-welcome)', `${f.startInputBytes.courseWelcome} B`, `${kb(TODAY.startInputBytes)}`, '—'],
    ['start input (webinar-autofunnel)', `${f.startInputBytes.webinar} B`, '—', '—'],
    ['start input, whole plan (runs from before)', `${kb(f.startInputBytes.fullPlanCourseWelcome)}`, `${kb(TODAY.startInputBytes)}`, 'still run'],
    ['sendTouch input', `${f.sendTouchInputBytes.min}–${f.sendTouchInputBytes.max} B`, `${kb(TODAY.sendTouchInputBytes[0])}–${kb(TODAY.sendTouchInputBytes[1])} (old shape now: ${f.sendTouchInputBytes.fullShapeMin}–${f.sendTouchInputBytes.fullShapeMax} B)`, `≤ ${TARGET.sendTouchInputBytes} B ${verdict(f.sendTouchInputBytes.max <= TARGET.sendTouchInputBytes)}`],
    ['sleeping history (course-welcome)', kb(f.sleepingHistoryBytes.courseWelcome), kb(TODAY.sleepingHistoryBytes), `≤ ${kb(TARGET.sleepingHistoryBytes)} ${verdict(f.sleepingHistoryBytes.courseWelcome <= TARGET.sleepingHistoryBytes)}`],
    ['sleeping history (webinar-autofunnel)', `${kb(f.sleepingHistoryBytes.webinar)} (${f.sleepingHistoryBytes.events} events)`, '—', `≤ ${kb(TARGET.sleepingHistoryBytes)} ${verdict(f.sleepingHistoryBytes.webinar <= TARGET.sleepingHistoryBytes)}`],
    ['sleeping history, whole plan (course-welcome)', kb(f.sleepingHistoryBytes.fullPlanCourseWelcome), kb(TODAY.sleepingHistoryBytes), '—'],
    [`worker RSS, ${f.enrollments} sleeping (cache ${f.cachedWorkflows}${f.workerHeapMb ? `, heap ${f.workerHeapMb} MB` : ''})`, mib(last), `${mib(TODAY.workerRssBytes)} at its ${TODAY.workerRssAtCached}-workflow cache`, `≤ 1 GiB at 100,000 ${f.enrollments >= TARGET.workerRssAtEnrollments ? verdict(last <= TARGET.workerRssBytes) : `(flat past the cache: ${mib(full.rssBytes)} at ${full.enrollments} → ${mib(last)} at ${f.enrollments})`}`],
    ['dev-server disk per sleeping enrollment', kb(f.disk.perEnrollmentBytes), kb(TODAY.diskPerEnrollmentBytes), `floor ${kb(f.disk.floorPerStartBytes)} (raw start) ×${(f.disk.perEnrollmentBytes / f.disk.floorPerStartBytes).toFixed(1)}`],
    ['dev-server writes per sleeping enrollment', kb(f.disk.writesPerEnrollmentBytes), `${(TODAY.writesPerEnrollmentBytes / MiB).toFixed(2)} MB`, `floor ${kb(f.disk.writesFloorPerStartBytes)} ×${(f.disk.writesPerEnrollmentBytes / f.disk.writesFloorPerStartBytes).toFixed(1)}`],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['figure', 'measured', 'today (issue)'][i]!.length));
  const line = (r: string[]) => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`;
  return [
    `bench:history — ${f.machine}; ${f.enrollments} enrollments at ${f.enrollPerSecond.toFixed(0)}/s; ${(f.wallMs / 1000).toFixed(0)} s`,
    line(['figure', 'measured', 'today (issue)', 'target']),
    ...rows.map(line),
    `worker RSS as the sleeping enrollments grew: ${f.rss.map((r) => `${r.enrollments}: ${mib(r.rssBytes)}`).join(', ')}`,
  ].join('\n');
}

if (process.argv[1]?.endsWith('bench-history.ts')) {
  installTemporalLogging(createLogger('error'), 'error', 'ERROR');
  const { values } = parseArgs({ options: { enrollments: { type: 'string', default: '10000' }, cache: { type: 'string' }, samples: { type: 'string', default: '10' }, 'worker-heap-mb': { type: 'string' }, json: { type: 'boolean' } } });
  const figures = await benchHistory({
    enrollments: Number(values.enrollments), samples: Number(values.samples), ...(values.cache && { cachedWorkflows: Number(values.cache) }),
    ...(values['worker-heap-mb'] && { workerHeapMb: Number(values['worker-heap-mb']) }),
    progress: (l) => process.stderr.write(`bench:history: ${l}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(figures, null, 2)}\n` : `${formatHistoryFigures(figures)}\n`);
  process.exit(0);
}
