import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../test/helpers/ports';
import { managed, temporalDevServer, type StackProcess } from '../chaos/processes';
import { writeBenchFunnels } from './funnels';

/** The bench's API token and secrets (loopback only). */
export const BENCH_TOKEN = 'bench-api-token-0123456789';

/** A running engine (`src/cli/start.ts` against the bench's Temporal server): where it answers and its files. */
export interface BenchEngine {
  base: string;
  dataDir: string;
  dbFile: string;
  taskQueue: string;
  process: StackProcess;
}

/**
 * The processes the sections measure, each started on first use and stopped by `close()`: one Temporal dev server
 * (headless, its own SQLite file), the engine as `npm start` runs it (worker and HTTP server in one process), the plain
 * hono server and the raw worker — all separate processes, so the load generator (this process) never shares their
 * event loop.
 */
export class BenchStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'autofunnel-bench-'));
  private temporal?: Promise<string>;
  private engineP?: Promise<BenchEngine>;
  private plainP?: Promise<string>;
  private rawP?: Promise<string>;
  private clientP?: Promise<Client>;
  private readonly processes: StackProcess[] = [];

  /** The Temporal frontend address. */
  temporalAddress(): Promise<string> {
    this.temporal ??= (async () => {
      const port = await freePort();
      const address = `127.0.0.1:${port}`;
      const p = temporalDevServer(this.dir, port);
      this.processes.push(p);
      await p.start();
      return address;
    })();
    return this.temporal;
  }

  /** A Temporal client in this process (the raw starts and signals, reading histories). */
  client(): Promise<Client> {
    this.clientP ??= (async () => new Client({ connection: await Connection.connect({ address: await this.temporalAddress() }), namespace: 'default' }))();
    return this.clientP;
  }

  /** The shared engine of the enrollment and events sections. */
  engine(): Promise<BenchEngine> {
    this.engineP ??= this.startEngine('engine', 'bench');
    return this.engineP;
  }

  /** Starts another engine process (its own DATA_DIR and task queue); `dueTime` goes into the touches funnel. */
  async startEngine(name: string, taskQueue: string, dueTime?: string): Promise<BenchEngine> {
    const address = await this.temporalAddress();
    const port = await freePort();
    const dataDir = join(this.dir, name, 'data');
    mkdirSync(dataDir, { recursive: true });
    const funnelsDir = writeBenchFunnels(join(this.dir, name, 'funnels'), dueTime);
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir, FUNNELS_DIR: funnelsDir, PORT: String(port), HOST: '127.0.0.1', TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue,
      API_TOKEN: BENCH_TOKEN, SECRET_KEY: 'bench-secret-key-0123456789abcdef', ADMIN_PASSWORD: 'bench-admin-password', LOG_LEVEL: 'warn',
      TELEGRAM_UPDATES: 'off',
    };
    // BENCH_ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the engine while it is measured.
    const nodeArgs = process.env.BENCH_ENGINE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const p = managed(name, this.dir, () => ({ file: process.execPath, args: [...nodeArgs, '--import', 'tsx', resolve('src/cli/start.ts')], env: { ...withoutDatabaseUrl(), ...env } }), async () => {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    }, 180_000);
    this.processes.push(p);
    await p.start();
    return { base, dataDir, dbFile: join(dataDir, 'autofunnel.sqlite'), taskQueue, process: p };
  }

  /** The plain hono server's base URL. */
  plain(): Promise<string> {
    this.plainP ??= (async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const p = managed('plain', this.dir, () => ({ file: process.execPath, args: ['--import', 'tsx', resolve('scripts/bench/plain-server.ts'), String(port)], env: process.env }),
        async () => (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })).ok);
      this.processes.push(p);
      await p.start();
      return base;
    })();
    return this.plainP;
  }

  /** The raw one-activity worker's task queue (started once). */
  rawWorker(): Promise<string> {
    this.rawP ??= (async () => {
      const address = await this.temporalAddress();
      const p = managed('raw-worker', this.dir, () => ({ file: process.execPath, args: ['--import', 'tsx', resolve('scripts/bench/raw-worker.ts'), address, 'bench-raw'], env: process.env }),
        async (_c, out) => out().includes('raw worker running'), 120_000);
      this.processes.push(p);
      await p.start();
      return 'bench-raw';
    })();
    return this.rawP;
  }

  /** Stops one process started here (an engine a section is done with). */
  async stopProcess(p: StackProcess): Promise<void> {
    await p.stop();
    this.processes.splice(this.processes.indexOf(p), 1);
  }

  /** Stops everything, newest first, and removes the folder unless BENCH_KEEP is set. */
  async close(): Promise<void> {
    if (this.clientP) await (await this.clientP.catch(() => null))?.connection.close().catch(() => undefined);
    for (const p of [...this.processes].reverse()) await p.stop().catch(() => undefined);
    if (!process.env.BENCH_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** This process's environment without DATABASE_URL: the bench measures the engine on SQLite (its file in DATA_DIR). */
function withoutDatabaseUrl(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return rest;
}
