import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from './binaries';
import { workflowsPath } from './worker';

const require = createRequire(import.meta.url);
const QUIET = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** Every file under a folder, sorted, so the hash does not depend on directory order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []))
    .sort();
}

/** The cache key: the workflow sources and the SDK versions that bundle and run them. */
export function workflowSourceHash(dir = join(projectRoot, 'workflows')): string {
  const hash = createHash('sha256');
  for (const pkg of ['@temporalio/workflow', '@temporalio/worker']) hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}\n`);
  for (const file of filesUnder(dir)) hash.update(`${file.slice(dir.length)}\n`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 24);
}

/**
 * The workflow bundle for `workflows/`, from `.cache/workflow-bundles/<hash>.js` when the sources and SDK are
 * unchanged, else built (seconds) and stored there. A changed source gets a new hash, so a stale bundle is never used.
 */
export async function cachedWorkflowBundle(cacheDir = join(projectRoot, '.cache', 'workflow-bundles')): Promise<{ code: string }> {
  const key = workflowSourceHash();
  const file = join(cacheDir, `${key}.js`);
  try {
    return { code: readFileSync(file, 'utf8') };
  } catch {
    // Not cached yet.
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: QUIET });
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const old of readdirSync(cacheDir)) if (old.endsWith('.js') && old !== `${key}.js`) rmSync(join(cacheDir, old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  } catch {
    // A read-only checkout still simulates, only slower.
  }
  return { code };
}
