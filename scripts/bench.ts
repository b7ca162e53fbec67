/*
 * npm run bench [-- --quick] [--json] [--only <section>[,<section>…]] [--reps N]
 *
 * The benchmark suite: every figure next to its raw baseline measured in the same run, interleaved and repeated
 * (medians of ≥ 3), printed as a table with ratios, targets and PASS/FAIL (exit 1 on any FAIL or error). The sections
 * are listed in scripts/bench/registry.ts, one file each under scripts/bench/sections/. It runs the real stack on
 * loopback: a Temporal dev server, the engine as `npm start` runs it, a plain hono server and a raw Temporal worker,
 * each its own process; autocannon generates the HTTP load. `--quick` is a small run (a few minutes).
 */
import { cpus, totalmem } from 'node:os';
import { SECTIONS } from './bench/registry';
import { BenchStack } from './bench/stack';
import { formatTable, verdict, type SectionResult } from './bench/report';

const args = process.argv.slice(2);
const value = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const quick = args.includes('--quick');
const json = args.includes('--json');
const only = value('only')?.split(',');
const reps = Math.max(3, Number(value('reps') ?? 3));
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
const stack = new BenchStack();
const results: SectionResult[] = [];
const started = Date.now();
let interrupted = false;
process.on('SIGINT', () => { interrupted = true; void stack.close().then(() => process.exit(130)); });
try {
  log(`bench: ${quick ? 'quick' : 'full'} run, ${reps} repetitions, ${machine.cores} cores (${machine.cpu}), node ${machine.node}; folder ${stack.dir}`);
  for (const section of SECTIONS.filter((s) => !only || only.includes(s.id))) {
    if (interrupted) break;
    log(`\n[${section.id}] ${section.title}`);
    const t0 = Date.now();
    try {
      const out = await section.run({ quick, reps, stack, log });
      results.push('pending' in out ? { id: section.id, title: section.title, figures: [], pending: out.pending } : { id: section.id, title: section.title, ...out });
    } catch (err) {
      log(`  error: ${(err as Error).stack ?? String(err)}`);
      results.push({ id: section.id, title: section.title, figures: [], error: (err as Error).message });
    }
    log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
} finally {
  await stack.close();
}
const failed = results.some((s) => s.error || s.figures.some((f) => verdict(f) === 'FAIL'));
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, quick, reps, startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000),
    sections: results.map((s) => ({ ...s, figures: s.figures.map((f) => ({ ...f, verdict: verdict(f) || null })) })) }, null, 2)}\n`);
} else {
  process.stdout.write(`\nautofunnel bench — ${new Date(started).toISOString().slice(0, 16)}Z, ${quick ? 'quick' : 'full'} run, medians of ${reps}, ` +
    `${machine.cores} cores (${machine.cpu}, shared), ${machine.memoryGiB} GiB, node ${machine.node}, ${Math.round((Date.now() - started) / 1000)} s\n\n`);
  process.stdout.write(`${formatTable(results)}\n`);
}
process.exitCode = failed ? 1 : 0;
