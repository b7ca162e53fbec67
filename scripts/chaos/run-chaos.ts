import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSmtpSink } from '../../test/helpers/smtp-sink';
import { startFakeTelegram } from '../../test/helpers/fake-telegram';
import { startFakeSmsRu } from '../../test/helpers/fake-smsru';
import { freePort } from '../../test/helpers/ports';
import { openDatabase } from '../../src/db/database';
import { httpServer, temporalServer, worker, type StackConfig, type StackProcess } from './processes';
import { chaosContact, enrollAll, postEvents, type ChaosContact } from './clients';
import { countReceived, readLedger, type ChaosReport } from './report';

/** What to break, when (ms after the first enrollment), and how big the run is. */
export interface ChaosOptions {
  contacts: number;
  workers: 1 | 2;
  workerKills: number;
  firstWorkerKillAtMs: number;
  workerKillEveryMs: number;
  serverKillAtMs: number;
  temporalKillAtMs: number;
  temporalDownMs: number;
  smtpOutage: { atMs: number; forMs: number };
  telegram429: { atMs: number; forMs: number; retryAfterS: number };
  eventsPerSecond: number;
  eventsForMs: number;
  enrollConcurrency: number;
  drainTimeoutMs: number;
  /** A PostgreSQL database (postgres://…) the server and workers share; default a SQLite file in the run's DATA_DIR. */
  databaseUrl?: string | undefined;
  log: (line: string) => void;
}

/** The full run `npm run chaos` makes. */
// Spread over the first two minutes: on 2 shared cores the 3,000 touches take several minutes to go out.
export const FULL_RUN: Omit<ChaosOptions, 'log'> = {
  contacts: 1000, workers: 2, workerKills: 6, firstWorkerKillAtMs: 15_000, workerKillEveryMs: 20_000,
  serverKillAtMs: 45_000, temporalKillAtMs: 85_000, temporalDownMs: 5_000,
  smtpOutage: { atMs: 20_000, forMs: 30_000 }, telegram429: { atMs: 60_000, forMs: 20_000, retryAfterS: 3 },
  eventsPerSecond: 10, eventsForMs: 120_000, enrollConcurrency: 8, drainTimeoutMs: 20 * 60_000,
};

const TOKEN = 'chaos-api-token-0123456789';
const TOUCHES = ['c-email', 'c-telegram', 'c-sms'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the real stack in split mode — a Temporal dev server, `npm run server`, `npm run worker` ×1–2 sharing one
 * SQLite DATA_DIR (or one PostgreSQL database, `databaseUrl`) — against loopback SMTP, Bot API and SMS.ru peers, enrolls the contacts through the API and breaks
 * things while the touches go out; then waits for the backlog to drain and counts what the peers received.
 */
export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-chaos-'));
  const runId = Date.now().toString(36);
  const started = Date.now();
  let t0 = Number.POSITIVE_INFINITY;
  const smtpWindow = () => Date.now() >= t0 + opts.smtpOutage.atMs && Date.now() < t0 + opts.smtpOutage.atMs + opts.smtpOutage.forMs;
  const smtp = await startSmtpSink({ tempFail: smtpWindow });
  const tg = await startFakeTelegram({ username: 'chaos_bot' });
  const smsru = await startFakeSmsRu({ apiId: 'chaos-api-id' });
  const [temporalPort, httpPort] = [await freePort(), await freePort()];
  mkdirSync(join(dir, 'data'));
  const cfg: StackConfig = {
    dir, temporalPort, httpPort,
    env: {
      DATA_DIR: join(dir, 'data'), FUNNELS_DIR: resolve('scripts/chaos/funnels'), PORT: String(httpPort), HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_TASK_QUEUE: 'chaos', LOG_LEVEL: 'info',
      API_TOKEN: TOKEN, SECRET_KEY: 'chaos-secret-key-0123456789abcdef', ADMIN_PASSWORD: 'chaos-admin-password',
      SMTP_URL: smtp.url, MAIL_FROM: 'Chaos <chaos@example.test>',
      TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_UPDATES: 'off',
      SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'chaos-api-id', SMS_API_ROOT: smsru.url,
      ...(opts.databaseUrl && { DATABASE_URL: opts.databaseUrl }),
    },
  };
  const temporal = temporalServer(cfg);
  const server = httpServer(cfg);
  const workers = Array.from({ length: opts.workers }, (_, i) => worker(cfg, i + 1));
  const all: StackProcess[] = [...workers, server, temporal];
  const faults: ChaosReport['faults'] = [];
  const snapshots: Array<Map<string, number>> = [];
  const db = openDatabase(opts.databaseUrl ?? join(dir, 'data', 'autofunnel.sqlite'));
  let lastFaultAt = 0;
  const stamp = (what: string) => {
    const at = Date.now() - t0;
    faults.push({ at, what });
    opts.log(`  +${(at / 1000).toFixed(1)}s ${what}`);
  };
  try {
    opts.log(`chaos: ${opts.contacts} contacts, ${opts.workers} worker(s), dir ${dir}`);
    await temporal.start();
    await server.start();
    await Promise.all(workers.map((w) => w.start()));
    opts.log(`chaos: stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const base = `http://127.0.0.1:${httpPort}`;
    const contacts = Array.from({ length: opts.contacts }, (_, i) => chaosContact(i));
    const enrolled: ChaosContact[] = [];
    t0 = Date.now();
    const enrolling = enrollAll(base, TOKEN, 'chaos', contacts, opts.enrollConcurrency, (c) => enrolled.push(c));
    const stopEvents = new AbortController();
    const events = postEvents(base, TOKEN, runId, opts.eventsPerSecond, () => enrolled, stopEvents.signal);

    const at = (ms: number, what: () => Promise<void>) => (async () => { await sleep(Math.max(0, t0 + ms - Date.now())); await what(); })();
    const restart = async (p: StackProcess, afterMs: number) => {
      await sleep(afterMs);
      await p.start();
      stamp(`${p.name} back`);
      lastFaultAt = Math.max(lastFaultAt, Date.now());
    };
    const schedule: Array<Promise<void>> = [
      at(opts.smtpOutage.atMs, async () => { stamp(`SMTP answers 421 for ${opts.smtpOutage.forMs / 1000} s`); }),
      at(opts.smtpOutage.atMs + opts.smtpOutage.forMs, async () => { stamp('SMTP accepts again'); lastFaultAt = Math.max(lastFaultAt, Date.now()); }),
      at(opts.telegram429.atMs, async () => {
        tg.failFor('sendMessage', opts.telegram429.forMs, { error_code: 429, description: `Too Many Requests: retry after ${opts.telegram429.retryAfterS}`, retry_after: opts.telegram429.retryAfterS });
        stamp(`Bot API answers 429 retry_after=${opts.telegram429.retryAfterS} for ${opts.telegram429.forMs / 1000} s`);
      }),
      at(opts.telegram429.atMs + opts.telegram429.forMs, async () => { stamp('Bot API accepts again'); lastFaultAt = Math.max(lastFaultAt, Date.now()); }),
      at(opts.serverKillAtMs, async () => { await server.kill(); stamp('kill -9 server'); await restart(server, 1_500); }),
      at(opts.temporalKillAtMs, async () => { await temporal.kill(); stamp('kill -9 temporal'); await restart(temporal, opts.temporalDownMs); }),
      ...Array.from({ length: opts.workerKills }, (_, k) => at(opts.firstWorkerKillAtMs + k * opts.workerKillEveryMs, async () => {
        // The next worker in turn that is up (one still restarting from an earlier kill is waited for).
        let w = workers[k % workers.length]!;
        while (!w.ready()) {
          await sleep(200);
          w = workers.find((x) => x.ready()) ?? w;
        }
        await w.kill();
        // Sends claimed but not recorded (the dead worker's among them): a duplicate is possible only among these.
        const claimed = await db.selectFrom('deliveries').select(['id', 'attempts']).where('sending_since', 'is not', null).execute();
        snapshots.push(new Map(claimed.map((r) => [r.id, r.attempts])));
        stamp(`kill -9 ${w.name} (${claimed.length} sends claimed, not recorded)`);
        await restart(w, 1_500);
      })),
      at(opts.eventsForMs, async () => { stopEvents.abort(); }),
    ];
    const enrollStats = await enrolling;
    stamp(`all ${opts.contacts} contacts enrolled (${enrollStats.retried} requests retried)`);
    await Promise.all(schedule);
    await events.done;
    stamp(`events stopped: ${events.ledger.accepted.length} of ${events.ledger.posted} accepted`);

    const expected = opts.contacts * TOUCHES.length;
    const peers = { smtp, tg, smsru };
    const deadline = Date.now() + opts.drainTimeoutMs;
    let received = countReceived(peers, TOUCHES);
    while (received.distinct < expected && Date.now() < deadline) {
      await sleep(1000);
      received = countReceived(peers, TOUCHES);
    }
    const drainedAt = received.lastAt;
    const backlogAtLastFault = expected - countReceived(peers, TOUCHES, lastFaultAt).distinct;
    await sleep(3_000); // late duplicates would show up now
    received = countReceived(peers, TOUCHES);
    const ledger = await readLedger(db, snapshots, events.ledger, runId);
    const report: ChaosReport = {
      machine: { cores: cpus().length, node: process.version },
      contacts: opts.contacts, expected, received: received.distinct, perChannel: received.perChannel,
      lost: expected - received.distinct, duplicated: received.duplicated, duplicateKeys: received.duplicateKeys,
      killsInSendWindow: ledger.killsInSendWindow, reclaimedAfterKill: ledger.reclaimedAfterKill, retriedDeliveries: ledger.retriedDeliveries, ledgerStatuses: ledger.statuses,
      faults,
      workerKills: faults.filter((f) => f.what.startsWith('kill -9 worker')).length,
      events: { posted: events.ledger.posted, accepted: events.ledger.accepted.length, stored: ledger.eventsStored, lost: ledger.eventsLost, retriedRequests: events.ledger.retried },
      enrollRequestsRetried: enrollStats.retried,
      drainMs: Math.max(0, drainedAt - lastFaultAt), totalMs: Date.now() - started, chaosEndedAtMs: lastFaultAt - t0,
      backlogAtLastFault, firstTouchToLastMs: drainedAt - received.firstAt,
    };
    return report;
  } finally {
    await db.destroy().catch(() => undefined);
    for (const p of all) await p.stop().catch(() => undefined);
    await Promise.all([smtp.close(), tg.close(), smsru.close()]).catch(() => undefined);
    if (!process.env.CHAOS_KEEP) rmSync(dir, { recursive: true, force: true });
    else opts.log(`chaos: kept ${dir}`);
  }
}
