import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import type { Logger } from '../log';
import { PortInUseError } from '../errors';
import { commandLine, removeDevServerRecord, stopLeftoverDevServer, waitPortFree, writeDevServerRecord } from './dev-server-pid';

/** A running embedded Temporal dev server. */
export interface DevServer {
  address: string;
  uiUrl: string;
  /** The `temporal` CLI process. */
  pid: number;
  stop(): Promise<void>;
}

/** Options for the embedded dev server. */
export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  log: Logger;
  readyTimeoutMs?: number;
}

const GUARD = join(dirname(fileURLToPath(import.meta.url)), 'follow-parent.mjs');

/**
 * Starts `temporal server start-dev` persisted in `dataDir` and resolves once its frontend answers. It never talks to
 * a server it did not start: a leftover of this DATA_DIR (its engine died hard) is stopped first, and a port taken by
 * anything else is a PortInUseError naming the variable to change. The CLI runs under a guard that stops it when this
 * process dies, however it dies.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = join(opts.dataDir, 'temporal.sqlite');
  const address = `127.0.0.1:${opts.port}`;
  await stopLeftoverDevServer(opts.dataDir, db, opts.log);
  for (const [variable, port] of [['TEMPORAL_DEV_PORT', opts.port], ['TEMPORAL_UI_PORT', opts.uiPort]] as const) {
    if (!(await waitPortFree(port, 2_000))) throw new PortInUseError(variable, port, dirname(opts.dataDir));
  }
  const args = [
    'server', 'start-dev',
    '--db-filename', db,
    '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace, '--log-level', 'error', '--log-format', 'json',
  ];
  // Its own process group: Ctrl-C reaches this process only, which stops the worker before the server.
  const guard = spawn(process.execPath, [GUARD, opts.cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let exited: string | null = null;
  let stderr = '';
  let cliPid = 0;
  guard.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  let pending = '';
  guard.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as { started?: number; exited?: number | null; signal?: string | null; error?: string };
      if (event.started) {
        cliPid = event.started;
        writeDevServerRecord(opts.dataDir, { pid: cliPid, guardPid: guard.pid!, ownerPid: process.pid, port: opts.port, db, startedAt: new Date().toISOString() });
      }
      if (event.error) exited = `could not run ${opts.cliPath}: ${event.error}`;
    }
  });
  guard.on('exit', (code, signal) => { exited ??= `exited with ${signal ?? code}`; });

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`temporal dev server ${exited}: ${stderr.trim()}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: opts.namespace });
      } finally {
        await conn.close();
      }
      if (cliPid && commandLine(cliPid)?.includes(db)) break; // our child answers, not a stranger that took the port meanwhile
    } catch (err) {
      if (Date.now() > deadline) {
        await stopGuard(guard, cliPid);
        throw new Error(`temporal dev server did not become ready on ${address}: ${(err as Error).message}`);
      }
    }
    if (Date.now() > deadline) {
      await stopGuard(guard, cliPid);
      throw new Error(`temporal dev server on ${address} answered, but its process (${cliPid || 'unknown'}) is not running on ${db}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  opts.log.info('temporal dev server ready', { address, db, pid: cliPid });
  return {
    address, uiUrl: `http://127.0.0.1:${opts.uiPort}`, pid: cliPid,
    stop: async () => {
      await stopGuard(guard, cliPid);
      removeDevServerRecord(opts.dataDir);
    },
  };
}

/** Asks the guard to stop the CLI (SIGTERM, then SIGKILL after 5 s) and waits; kills both if the guard hangs. */
function stopGuard(guard: ChildProcess, cliPid: number): Promise<void> {
  if (guard.exitCode !== null || guard.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (cliPid) try { process.kill(cliPid, 'SIGKILL'); } catch { /* gone */ }
      guard.kill('SIGKILL');
    }, 10_000);
    guard.once('exit', () => { clearTimeout(timer); resolve(); });
    guard.kill('SIGTERM');
  });
}
