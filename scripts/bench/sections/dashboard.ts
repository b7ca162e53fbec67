import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Figure, Section } from '../types';

/** Runs `scripts/bench-dashboard.ts` as a child process and answers its output. */
function runDashboardBench(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/bench-dashboard.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', rej);
    child.on('exit', () => res(out));
  });
}

/**
 * The dashboard benchmark's summary from a small run (`npm run bench:dashboard` does the full million): the funnel page's
 * slowest p95 against the same figures computed from the raw tables, and whether both gave the same answers.
 */
export const dashboardSection: Section = {
  id: 'dashboard',
  title: 'The dashboard benchmark (small run of scripts/bench-dashboard.ts)',
  async run(ctx) {
    const enrollments = ctx.quick ? 5_000 : 20_000;
    const out = await runDashboardBench(['--enrollments', String(enrollments), '--runs', ctx.quick ? '5' : '10', '--raw-runs', String(ctx.reps)]);
    const verdict = /(PASS|FAIL): funnel page slowest p95 ([\d.]+) ms \(([^)]+)\)/.exec(out);
    const identical = out.includes('identical answers for every query');
    if (!verdict) throw new Error(`bench:dashboard printed no verdict:\n${out.slice(-2000)}`);
    const [, , p95, which] = verdict;
    // Its table row for the slowest page: name, rollups p50/p95/max, raw p50/p95/max, …
    const row = out.split('\n').find((l) => l.startsWith(`funnel page ${which}`));
    const cells = row?.slice(`funnel page ${which}`.length).trim().split(/\s+/) ?? [];
    const rawP50 = cells[3] !== undefined ? Number(cells[3]) : null;
    ctx.log(`  dashboard: funnel page slowest p95 ${p95} ms (${which}); raw tables p50 ${rawP50 ?? '?'} ms; answers ${identical ? 'identical' : 'DIFFERENT'}`);
    const figures: Figure[] = [{
      name: `funnel page slowest p95 (${which}, ${enrollments.toLocaleString('en-US')} enrollments)`, unit: 'ms', engine: Number(p95),
      baselineName: 'the same figures from the raw tables, p50', baseline: rawP50, ratio: rawP50 ? Number(p95) / rawP50 : null, lowerIsBetter: true,
      target: { max: 200, text: '≤ 200 ms' }, note: identical ? 'rollups and raw tables gave identical answers' : 'rollups and raw tables gave DIFFERENT answers',
    }];
    return { figures };
  },
};
