import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports';

/*
 * A real PostgreSQL server for the tests, started by them: Debian's binaries (`npm run setup` installs the
 * `postgresql` package when they are missing), a throwaway cluster in a temp folder, loopback TCP on a free port,
 * trust authentication, no durability (fsync off: the cluster is deleted afterwards). PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user the package creates.
 */

/** The folder with `initdb` and `postgres`: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else `pg_config --bindir`. */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  return dir && existsSync(join(dir, 'initdb')) ? dir : null;
}

/** A running throwaway PostgreSQL. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  urlOf(database: string): string;
  port: number;
  stop(): Promise<void>;
}

/** Runs a binary as the unprivileged user (`postgres` when we are root, else ourselves). */
function asServerUser(bin: string, args: string[]): { command: string; args: string[] } {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? { command: 'runuser', args: ['-u', 'postgres', '--', bin, ...args] } : { command: bin, args };
}

function serverUserIds(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('PostgreSQL cannot run as root and there is no `postgres` user: run `npm run setup` (installs Debian\'s postgresql package)');
  return { uid, gid: id('-g') };
}

/** Starts a fresh cluster; resolves once it accepts connections. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found: run `npm run setup` (apt-get install postgresql) or set PG_BIN to the folder with initdb');
  const ids = serverUserIds();
  const dir = mkdtempSync(join(tmpdir(), 'af-pg-'));
  chmodSync(dir, 0o700);
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const init = asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const made = spawnSync(init.command, init.args, { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`initdb failed (as ${ids ? 'postgres' : userInfo().username}): ${made.stderr || made.stdout}`);
  const port = await freePort();
  const run = asServerUser(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400',
    '-c', 'shared_buffers=64MB', '-c', 'log_min_messages=fatal', '-c', 'client_min_messages=warning',
  ]);
  // A watchdog shell owns the server: when our stdin pipe closes (stop(), or this process dies) it shuts the server
  // down, so no test run leaves a PostgreSQL behind.
  const watchdog = `"$@" & read -r _; kill -INT "$(head -1 "$PGDATA/postmaster.pid" 2>/dev/null)" 2>/dev/null; wait`;
  const child: ChildProcess = spawn('bash', ['-c', watchdog, 'pg-watchdog', run.command, ...run.args], {
    stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, PGDATA: data },
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited at start: ${stderr}`);
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s: ${(err as Error).message}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.stdin!.end(); // the watchdog asks for a fast shutdown: active connections are closed
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 15_000); })]);
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { urlOf, port, stop };
}
