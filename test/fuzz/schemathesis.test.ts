import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzServer, type FuzzServer } from './fuzz-server';

/** The Schemathesis CLI `npm run setup` installs (scripts/install-schemathesis.mjs); SCHEMATHESIS_PATH overrides it. */
const CLI = process.env.SCHEMATHESIS_PATH ?? resolve('.temporal/venv/bin/schemathesis');
/** Test cases per operation and phase; small enough for `npm test` (about a minute), overridable for a longer hunt. */
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? '25';
/** A fixed seed keeps CI reproducible; FUZZ_SEED=<n> explores other cases. */
const SEED = process.env.FUZZ_SEED ?? '1';
const DEADLINE_MS = 170_000;

/** Runs the CLI to its end (or the deadline); the server answers meanwhile, in this process. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    let output = '';
    const child = spawn(CLI, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    const timer = setTimeout(() => { output += `\n[killed after ${DEADLINE_MS} ms]`; child.kill('SIGKILL'); }, DEADLINE_MS);
    child.on('close', (code) => { clearTimeout(timer); done({ code, output }); });
  });
}

// Schemathesis against the real server (createServerApp on a loopback port, a real SQLite database, the time-skipping
// Temporal server): every operation of /api/openapi.json with the bearer token, the coverage and fuzzing phases, all
// checks. Any failure fails the test: a 5xx, a response that violates its own schema, a request the schema calls
// invalid that is accepted, a schema-valid one refused with anything but 422 (see schemathesis.toml).
describe('the API contract under schemathesis', () => {
  let server: FuzzServer;
  beforeAll(async () => { server = await startFuzzServer(); }, 120_000);
  afterAll(async () => { await server?.stop(); });

  it('answers an active enrollment whose workflow no worker answers, within seconds (schemathesis: it hung past 20 s)', async () => {
    const started = Date.now();
    const res = await server.served.api('GET', `/api/enrollments/${server.known.AF_ENROLLMENT_ID}`);
    expect([res.status, res.json.status, res.json.currentStep]).toEqual([200, 'active', null]);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('finds no failure in any operation', async () => {
    expect(existsSync(CLI), `${CLI} missing: run \`npm run setup\``).toBe(true);
    const { code, output } = await run([
      '--config-file', resolve('test/fuzz/schemathesis.toml'),
      'run', `${server.served.url}/api/openapi.json`,
      '--header', `Authorization: Bearer ${server.apiToken}`,
      '--checks', 'all', '--phases', 'coverage,fuzzing',
      '--max-examples', MAX_EXAMPLES, '--seed', SEED,
      // One worker: Python 3.11's ast.parse is not thread-safe, and hypothesis calls it to describe strategies.
      '--workers', '1',
      '--generation-database', 'none', '--no-color', '--request-timeout', '20',
    ], server.known);
    const summary = output.slice(output.lastIndexOf('FAILURES') >= 0 ? output.lastIndexOf('FAILURES') - 40 : Math.max(0, output.length - 4000));
    expect(code, `schemathesis failed:\n${summary}\n--- server log ---\n${server.logged.join('\n')}`).toBe(0);
    expect(output).toMatch(/Tested: +\d+/);
    expect(server.logged.filter((l) => l.includes('unhandled error'))).toEqual([]);
  }, 200_000);
});
