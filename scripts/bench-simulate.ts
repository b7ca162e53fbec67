/*
 * npm run bench:simulate [-- --runs 3] [--funnel webinar-autofunnel] [--cold]
 *
 * Times `npm run simulate -- <funnel> --json` end to end, as a marketer runs it: npm, tsx start-up, loading the
 * funnels, the time-skipping test server's start, the workflow bundle (from the disk cache; `--cold` removes the
 * cache first, so the first run builds it), the three built-in personas and the output. Prints every run's wall time,
 * the median, and PASS/FAIL against the target: under 10 s for webinar-autofunnel.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { projectRoot } from '../src/temporal/binaries';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, funnel: { type: 'string', default: 'webinar-autofunnel' }, cold: { type: 'boolean' } } });
const runs = Math.max(1, Number(values.runs));
const TARGET_MS = 10_000;

function once(): Promise<{ ms: number; touches: number }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    execFile('npm', ['run', '--silent', 'simulate', '--', values.funnel!, '--json'], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return fail(new Error(`simulate failed: ${stderr}`));
      const out = JSON.parse(stdout) as { personas: Array<{ outcome: { touches: number } }> };
      done({ ms: Date.now() - started, touches: out.personas.reduce((s, p) => s + p.outcome.touches, 0) });
    });
  });
}

if (values.cold) rmSync(join(projectRoot, '.cache', 'workflow-bundles'), { recursive: true, force: true });
console.log(`npm run simulate -- ${values.funnel} --json (3 built-in personas), ${runs} run(s), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = await once();
  times.push(r.ms);
  console.log(`  run ${i + 1}${values.cold && i === 0 ? ' (cold: bundle built)' : ''}: ${(r.ms / 1000).toFixed(2)} s wall, ${r.touches} touches`);
}
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
const worst = Math.max(...times);
console.log(`median ${(median / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s — target < ${TARGET_MS / 1000} s: ${worst < TARGET_MS ? 'PASS' : 'FAIL'}`);
process.exitCode = worst < TARGET_MS ? 0 : 1;
