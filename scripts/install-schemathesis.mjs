#!/usr/bin/env node
// Installs Schemathesis (the OpenAPI fuzzer `npm test` runs against the real server) from PyPI into a virtualenv
// next to the Temporal binaries: ./.temporal/venv. Idempotent: an install of the pinned version is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '4.32.5';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.temporal', 'venv');
const binary = join(venv, 'bin', 'schemathesis');

const installed = () => {
  try { return execFileSync(binary, ['--version'], { encoding: 'utf8' }).includes(VERSION); } catch { return false; }
};
if (existsSync(binary) && installed()) {
  console.log(`schemathesis ${VERSION} already in ${venv}`);
  process.exit(0);
}
const python = ['python3', 'python'].find((p) => {
  try { execFileSync(p, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
});
if (!python) {
  console.error('setup: python3 (with venv and pip) is needed to install schemathesis');
  process.exit(1);
}
mkdirSync(join(root, '.temporal'), { recursive: true });
console.log(`installing schemathesis==${VERSION} into ${venv} …`);
rmSync(venv, { recursive: true, force: true });
const env = { ...process.env, PIP_ROOT_USER_ACTION: 'ignore', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit', env });
execFileSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', `schemathesis==${VERSION}`], { stdio: 'inherit', env });
if (!installed()) { console.error(`setup: ${binary} missing or not ${VERSION} after pip install`); process.exit(1); }
console.log(`  ${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()}`);
