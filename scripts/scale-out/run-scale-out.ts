import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSmtpSink } from '../../test/helpers/smtp-sink';
import { startFakeTelegram } from '../../test/helpers/fake-telegram';
import { startFakeSmsRu } from '../../test/helpers/fake-smsru';
import { freePort } from '../../test/helpers/ports';
import { openDatabase } from '../../src/db/database';
import { httpServer, temporalServer, worker, type StackConfig, type StackProcess } from '../chaos/processes';
import { chaosContact, enrollAll } from '../chaos/clients';
import { countReceived } from '../chaos/report';

/** How big the run is and whether a worker is killed. */
export interface ScaleOutOptions {
  /** A PostgreSQL database (postgres://…, empty or migrated) the server and the workers share. */
  databaseUrl: string;
  contacts: number;
  workers: 1 | 2;
  /** kill -9 worker 1 once this many first emails arrived (and start it again 1.5 s later); null: no kill. */
  killWorkerAfter: number | null;
  enrollConcurrency: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

/** What the run measured. */
export interface ScaleOutReport {
  machine: { cores: number; load1: number; node: string };
  contacts: number;
  workers: number;
  expected: number;
  received: number;
  duplicated: number;
  duplicateKeys: string[];
  perChannel: Record<string, number>;
  /** Sends the ledger found interrupted by the kill (claimed, not recorded): the only touches that may arrive twice. */
  interrupted: number;
  /** The API's stats of the funnel: enrolled and per touch sent/delivered. */
  api: { enrolled: number; touches: Record<string, { sent: number; delivered: number }> };
  /** Telegram at the peer: the densest second overall and the densest second of any chat. */
  telegram: { densestSecond: number; densestChatSecond: number };
  /** From the first enrollment request to the last touch received; first touches per second over it. */
  firstTouchesMs: number;
  touchesPerSecond: number;
  killedAt: number | null;
}

const TOKEN = 'scale-out-api-token-0123456789';
const TOUCHES = ['c-email', 'c-telegram', 'c-sms'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The most timestamps in any window of `ms`. */
export function densest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/**
 * The scale-out topology for real: a Temporal dev server on its own, one `npm run server`, one or two
 * `npm run worker` on one PostgreSQL database, loopback SMTP, Bot API and SMS.ru peers; enrolls the contacts through
 * the API, optionally kills a worker with -9 in the middle, waits for every first touch and compares the peers' counts
 * with the API's.
 */
export async function runScaleOut(opts: ScaleOutOptions): Promise<ScaleOutReport> {
  const dir = mkdtempSync(join(tmpdir(), 'autofunnel-scale-'));
  const smtp = await startSmtpSink();
  const tg = await startFakeTelegram({ username: 'scale_bot' });
  const smsru = await startFakeSmsRu({ apiId: 'scale-api-id' });
  const [temporalPort, httpPort] = [await freePort(), await freePort()];
  mkdirSync(join(dir, 'data'));
  const cfg: StackConfig = {
    dir, temporalPort, httpPort,
    env: {
      DATA_DIR: join(dir, 'data'), FUNNELS_DIR: resolve('scripts/scale-out/funnels'), PORT: String(httpPort), HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl, TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_TASK_QUEUE: 'scale-out', LOG_LEVEL: 'info',
      API_TOKEN: TOKEN, SECRET_KEY: 'scale-out-secret-key-0123456789abcdef', ADMIN_PASSWORD: 'scale-out-admin-password',
      SMTP_URL: smtp.url, MAIL_FROM: 'Scale <scale@example.test>',
      TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_UPDATES: 'off',
      SMS_PROVIDER: 'smsru', SMSRU_API_ID: 'scale-api-id', SMS_API_ROOT: smsru.url,
    },
  };
  const temporal = temporalServer(cfg);
  const server = httpServer(cfg);
  const workers = Array.from({ length: opts.workers }, (_, i) => worker(cfg, i + 1));
  const all: StackProcess[] = [...workers, server, temporal];
  const db = openDatabase(opts.databaseUrl);
  const peers = { smtp, tg, smsru };
  try {
    await temporal.start();
    await server.start();
    await Promise.all(workers.map((w) => w.start()));
    const base = `http://127.0.0.1:${httpPort}`;
    const contacts = Array.from({ length: opts.contacts }, (_, i) => chaosContact(i));
    const t0 = Date.now();
    opts.log(`scale-out: ${opts.contacts} contacts, ${opts.workers} worker(s), stack up`);
    const enrolling = enrollAll(base, TOKEN, 'scale-out', contacts, opts.enrollConcurrency, () => undefined);
    let killedAt: number | null = null;
    const killing = (async () => {
      if (opts.killWorkerAfter === null) return;
      while (countReceived(peers, ['c-email']).distinct < opts.killWorkerAfter) await sleep(50);
      await workers[0]!.kill();
      killedAt = Date.now() - t0;
      opts.log(`  +${(killedAt / 1000).toFixed(1)}s kill -9 ${workers[0]!.name}`);
      await sleep(1_500);
      await workers[0]!.start();
      opts.log(`  +${((Date.now() - t0) / 1000).toFixed(1)}s ${workers[0]!.name} back`);
    })();
    await enrolling;
    opts.log(`  +${((Date.now() - t0) / 1000).toFixed(1)}s all ${opts.contacts} enrolled`);
    const expected = opts.contacts * TOUCHES.length;
    const deadline = Date.now() + opts.drainTimeoutMs;
    let received = countReceived(peers, TOUCHES);
    while (received.distinct < expected && Date.now() < deadline) {
      await sleep(250);
      received = countReceived(peers, TOUCHES);
    }
    await killing;
    const firstTouchesMs = received.lastAt - t0;
    await sleep(3_000); // late duplicates would show up now
    received = countReceived(peers, TOUCHES);
    const stats = await (await fetch(`${base}/api/funnels/scale-out/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as {
      enrolled: number; touches: Array<{ touchId: string; sent: number; delivered: number }>;
    };
    const interrupted = await db.selectFrom('touch_log').select('delivery_id').where('kind', '=', 'interrupted').execute();
    const chats = new Map<string, number[]>();
    for (const m of tg.sent) chats.set(m.chatId, [...(chats.get(m.chatId) ?? []), m.at]);
    return {
      machine: { cores: cpus().length, load1: Number(loadavg()[0]!.toFixed(2)), node: process.version },
      contacts: opts.contacts, workers: opts.workers, expected, received: received.distinct, duplicated: received.duplicated,
      duplicateKeys: received.duplicateKeys, perChannel: received.perChannel, interrupted: interrupted.length,
      api: { enrolled: stats.enrolled, touches: Object.fromEntries(stats.touches.map((t) => [t.touchId, { sent: t.sent, delivered: t.delivered }])) },
      telegram: { densestSecond: densest(tg.sent.map((m) => m.at), 1000), densestChatSecond: Math.max(0, ...[...chats.values()].map((t) => densest(t, 1000))) },
      firstTouchesMs, touchesPerSecond: Number((received.distinct / (firstTouchesMs / 1000)).toFixed(1)), killedAt,
    };
  } finally {
    await db.destroy().catch(() => undefined);
    for (const p of all) await p.stop().catch(() => undefined);
    await Promise.all([smtp.close(), tg.close(), smsru.close()]).catch(() => undefined);
    if (!process.env.SCALE_OUT_KEEP) rmSync(dir, { recursive: true, force: true });
    else opts.log(`scale-out: kept ${dir}`);
  }
}
