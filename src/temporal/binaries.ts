import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where `.temporal/` is installed by `npm run setup`). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The `temporal` CLI: TEMPORAL_CLI_PATH, then the project-local install, then PATH; undefined when none exists. */
export function findTemporalCli(explicit = process.env.TEMPORAL_CLI_PATH): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const local = join(projectRoot, '.temporal', 'bin', 'temporal');
  if (existsSync(local)) return local;
  return onPath('temporal');
}

/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, then the project-local install, then PATH. */
export function findTestServer(explicit = process.env.TEMPORAL_TEST_SERVER_PATH): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const local = join(projectRoot, '.temporal', 'bin', 'temporal-test-server');
  if (existsSync(local)) return local;
  return onPath('temporal-test-server');
}
