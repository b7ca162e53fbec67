import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Figure, Section } from '../types';

/** Runs `scripts/bench-money.ts` as a child process and answers its output. */
function runMoneyBench(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/bench-money.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', rej);
    child.on('exit', () => res(out));
  });
}

/**
 * The grouped money read from a small run (`npm run bench:money` does the million deliveries): `GET …/stats?money=true&groupBy=source`
 * p95 against a plain GROUP BY per table over the raw tables in the same run, and whether both gave the same groups.
 */
export const moneySection: Section = {
  id: 'money',
  title: 'Grouped stats with money (small run of scripts/bench-money.ts)',
  async run(ctx) {
    const deliveries = ctx.quick ? 20_000 : 100_000;
    const out = await runMoneyBench(['--deliveries', String(deliveries), '--runs', ctx.quick ? '5' : '10', '--raw-runs', String(ctx.reps)]);
    const grouped = /grouped stats with money .*p50 ([\d.]+) ms, p95 ([\d.]+) ms/.exec(out);
    const raw = /raw baseline .*p50 ([\d.]+) ms/.exec(out);
    if (!grouped || !raw) throw new Error(`bench:money printed no figures:\n${out.slice(-2000)}`);
    const identical = out.includes('answers identical to the reference');
    const p95 = Number(grouped[2]);
    const rawP50 = Number(raw[1]);
    ctx.log(`  money: grouped p95 ${p95} ms; raw GROUP BY p50 ${rawP50} ms; answers ${identical ? 'identical' : 'DIFFERENT'}`);
    const figures: Figure[] = [{
      name: `grouped money stats p95 (groupBy=source, ${deliveries.toLocaleString('en-US')} deliveries)`, unit: 'ms', engine: p95,
      baselineName: 'one plain GROUP BY per table over the raw tables, p50', baseline: rawP50, ratio: rawP50 > 0 ? p95 / rawP50 : null, lowerIsBetter: true,
      target: { max: 200, text: '≤ 200 ms (set for 1M deliveries)' }, note: identical ? 'same groups as the reference' : 'groups DIFFERENT from the reference',
    }];
    return { figures };
  },
};
