import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../src/temporal/binaries';

/** One process of the stack under test, restartable, its output appended to `<dir>/<name>.log`. */
export interface StackProcess {
  readonly name: string;
  readonly child: ChildProcess | null;
  /** Starts (or restarts) it and resolves once it is ready. */
  start(): Promise<void>;
  /** kill -9, no warning; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** Started and ready, not killed since. */
  ready(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** A restartable child process; `ready` resolves once it serves (polled until `readyTimeoutMs`). The bench suite starts its processes with it too. */
export function managed(name: string, dir: string, command: () => { file: string; args: string[]; env: NodeJS.ProcessEnv }, ready: (child: ChildProcess, output: () => string) => Promise<boolean>, readyTimeoutMs = 90_000): StackProcess {
  let child: ChildProcess | null = null;
  let log: WriteStream | null = null;
  let isReady = false;
  return {
    name,
    get child() { return child; },
    ready: () => isReady && child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      const { file, args, env } = command();
      log ??= createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
      log.write(`\n===== start ${new Date().toISOString()}\n`);
      let out = '';
      isReady = false;
      const c = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      const keep = (b: Buffer) => { out = (out + b.toString()).slice(-20_000); log!.write(b); };
      c.stdout!.on('data', keep);
      c.stderr!.on('data', keep);
      const deadline = Date.now() + readyTimeoutMs;
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${name} exited during start-up:\n${out.slice(-3000)}`);
        if (await ready(c, () => out).catch(() => false)) {
          isReady = true;
          return;
        }
        if (Date.now() > deadline) throw new Error(`${name} was not ready after ${readyTimeoutMs} ms:\n${out.slice(-3000)}`);
        await sleep(200);
      }
    },
    async kill() {
      if (!child) return;
      isReady = false;
      const c = child;
      c.kill('SIGKILL');
      await exited(c);
      log?.write(`\n===== kill -9 ${new Date().toISOString()}\n`);
    },
    async stop() {
      if (!child) return;
      const c = child;
      if (c.exitCode === null && c.signalCode === null) {
        const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
        c.kill('SIGTERM');
        await exited(c);
        clearTimeout(t);
      }
      log?.end();
      log = null;
    },
  };
}

/** Where the stack listens and what it shares. */
export interface StackConfig {
  dir: string;
  temporalPort: number;
  httpPort: number;
  /** The environment of the server and the workers (DATA_DIR, channels, secrets, …). */
  env: Record<string, string>;
}

/** `temporal server start-dev` on `port` with its database file in `dir`, headless; ready once its namespace answers. */
export function temporalDevServer(dir: string, port: number): StackProcess {
  const cli = findTemporalCli();
  if (!cli) throw new Error('the Temporal CLI was not found: run `npm run setup`');
  const address = `127.0.0.1:${port}`;
  return managed('temporal', dir, () => ({
    file: cli,
    args: ['server', 'start-dev', '--db-filename', join(dir, 'temporal.sqlite'), '--ip', '127.0.0.1', '--port', String(port),
      '--headless', '--namespace', 'default', '--log-level', 'error', '--log-format', 'json'],
    env: process.env,
  }), async () => {
    const conn = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await conn.close();
    }
  });
}

/** The stack's Temporal server: its own port and database file in the stack's folder. */
export function temporalServer(cfg: StackConfig): StackProcess {
  return temporalDevServer(cfg.dir, cfg.temporalPort);
}

const node = (script: string, env: Record<string, string>) => ({
  file: process.execPath, args: ['--import', 'tsx', resolve(script)], env: { ...process.env, ...env },
});

/** `npm run server` (tsx src/cli/server.ts): ready once /health says ok. */
export function httpServer(cfg: StackConfig): StackProcess {
  return managed('server', cfg.dir, () => node('src/cli/server.ts', cfg.env), async () => {
    const res = await fetch(`http://127.0.0.1:${cfg.httpPort}/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  });
}

/** `npm run worker` (tsx src/cli/worker.ts): ready once it logs that it polls. */
export function worker(cfg: StackConfig, n: number): StackProcess {
  return managed(`worker-${n}`, cfg.dir, () => node('src/cli/worker.ts', cfg.env), async (_c, output) => output().includes('worker running'));
}
