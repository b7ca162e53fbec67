// `npm run setup` step: the PostgreSQL test run (`npm run test:postgres`, part of .ci/run) starts a throwaway server
// from Debian's binaries. Nothing is downloaded from a website: they come from the system's package manager (apt), or
// PG_BIN names the folder with initdb and postgres. The engine itself needs only a PostgreSQL to connect to.
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The folder with initdb: PG_BIN, the newest /usr/lib/postgresql/<n>/bin, or `pg_config --bindir` (as test/helpers/postgres-server.ts looks). */
function findBin() {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))) {
      if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
    }
  }
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  return dir && existsSync(join(dir, 'initdb')) ? dir : null;
}

const found = findBin();
if (found) {
  console.log(`postgresql: ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.warn('postgresql: binaries not found. The PostgreSQL test run needs them: run `sudo apt-get install -y postgresql` (Debian/Ubuntu), or set PG_BIN to the folder with initdb and postgres.');
  process.exit(0);
}
console.log('postgresql: installing the Debian package (apt-get install -y postgresql)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
const bin = findBin();
console.log(`postgresql: ${bin ?? 'installed, but initdb was not found — set PG_BIN'}`);
