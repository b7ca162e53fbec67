// `npm run setup` step: the browser tests drive Debian's Chromium through playwright-core. Nothing is downloaded
// from a website: Chromium comes from the system's package manager (apt), or CHROMIUM_PATH names another binary.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) {
  console.log(`chromium: ${path}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.warn(`chromium: not found at ${path}. The browser tests need it: run \`sudo apt-get install -y chromium\` (Debian/Ubuntu) or set CHROMIUM_PATH.`);
  process.exit(0);
}
console.log('chromium: installing the Debian package (apt-get install -y chromium)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
console.log(`chromium: ${existsSync(path) ? path : 'installed, but not at ' + path + ' — set CHROMIUM_PATH'}`);
