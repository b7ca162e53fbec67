import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from '../log';
import { DataDirInUseError } from '../errors';

/** What `DATA_DIR/temporal/dev-server.pid` records about the dev server this DATA_DIR started. */
export interface DevServerRecord {
  /** The `temporal server start-dev` process. */
  pid: number;
  /** The follow-parent guard between the engine and the CLI: alive exactly as long as the engine that owns it. */
  guardPid: number;
  /** The engine process. */
  ownerPid: number;
  port: number;
  db: string;
  startedAt: string;
}

/** The pid file of the dev server persisted in `dir` (DATA_DIR/temporal). */
export const pidFile = (dir: string) => join(dir, 'dev-server.pid');

/** Records the running dev server. */
export function writeDevServerRecord(dir: string, record: DevServerRecord): void {
  writeFileSync(pidFile(dir), `${JSON.stringify(record)}\n`);
}

/** Forgets the dev server (after a clean stop). */
export function removeDevServerRecord(dir: string): void {
  rmSync(pidFile(dir), { force: true });
}

function readRecord(dir: string): DevServerRecord | null {
  try {
    const r = JSON.parse(readFileSync(pidFile(dir), 'utf8')) as Partial<DevServerRecord>;
    return typeof r.pid === 'number' && typeof r.guardPid === 'number' && typeof r.db === 'string' ? (r as DevServerRecord) : null;
  } catch {
    return null;
  }
}

/** The command line of a live process (not a zombie), or null when there is none with this pid. */
export function commandLine(pid: number): string | null {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  try {
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return null;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || null;
  } catch {
    try { // no /proc (macOS): ask ps
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  }
}

/** Whether `pid` is still the process the record describes: alive, and its command line names our database file. */
function isOurs(pid: number, db: string): boolean {
  return commandLine(pid)?.includes(db) ?? false;
}

async function waitGone(pids: number[], db: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some((p) => isOurs(p, db))) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * Makes way for this DATA_DIR's dev server: a leftover of an engine that died hard (its guard gone, the CLI still
 * running on our database file) is stopped. Throws DataDirInUseError when the engine that owns it is still running.
 * A recorded pid that now belongs to another process (pid reuse) is left alone.
 */
export async function stopLeftoverDevServer(dir: string, db: string, log: Logger): Promise<void> {
  const record = readRecord(dir);
  if (!record || record.db !== db) return;
  // A guard exits right after its engine (having stopped the CLI): give one that is doing so a moment.
  if (isOurs(record.guardPid, db) && !(await waitGone([record.guardPid], db, 8_000))) {
    throw new DataDirInUseError(dirname(dir), record.ownerPid);
  }
  if (isOurs(record.pid, db)) {
    log.warn('stopping a leftover temporal dev server of this DATA_DIR', { pid: record.pid, db });
    process.kill(record.pid, 'SIGTERM');
    if (!(await waitGone([record.pid], db, 10_000))) {
      process.kill(record.pid, 'SIGKILL');
      await waitGone([record.pid], db, 5_000);
    }
  }
  removeDevServerRecord(dir);
}

/** Whether nothing listens on `host:port` (binding there succeeds right now). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Waits until the port is free (a stopped server may take a moment to release it); false when it stays taken. */
export async function waitPortFree(port: number, ms: number, host = '127.0.0.1'): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await portIsFree(port, host)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}
