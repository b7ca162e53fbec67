// npm run simulate -- <funnel id or file> [--personas F] [--json] [--html F] [--start ISO]
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SimulationInputError } from '../errors';
import { parseFrequencyCap } from '../policy/frequency-cap';
import { parseDuration } from '../dsl/duration';
import { loadSimulationTarget } from '../simulate/load-target';
import { readPersonasFile } from '../simulate/personas-file';
import { builtinPersonas } from '../simulate/builtin-personas';
import { nextMondayTen, parseStart } from '../simulate/start-time';
import { simulate } from '../simulate/run';
import { formatText } from '../simulate/format-text';
import { formatHtml } from '../simulate/format-html';
import { jsonResult } from '../simulate/result';
import { installTemporalLogging } from '../temporal/logging';
import { createLogger } from '../log';

const USAGE = 'usage: npm run simulate -- <funnel id or file> [--personas <file>] [--json] [--html <out.html>] [--start <ISO time>]';
const progress = (line: string) => process.stderr.write(`simulate: ${line}\n`);

async function main(): Promise<void> {
  installTemporalLogging(createLogger('error'), 'error', 'ERROR');
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { personas: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' }, start: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new SimulationInputError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) throw new SimulationInputError(positionals.length === 0 ? `name the funnel to simulate\n${USAGE}` : `one funnel at a time (got ${positionals.join(', ')})\n${USAGE}`);
  const t0 = Date.now();
  const funnel = await loadSimulationTarget(positionals[0]!, process.env.FUNNELS_DIR ?? './funnels');
  const personas = values.personas ? await readPersonasFile(values.personas, funnel.plan) : builtinPersonas(funnel.plan);
  const start = values.start ? parseStart(values.start, Date.now()) : nextMondayTen(Date.now(), funnel.plan.timezone);
  const result = await simulate(funnel, personas, {
    start, progress,
    publicUrl: process.env.PUBLIC_URL || undefined,
    mailFrom: process.env.MAIL_FROM || undefined,
    frequencyCap: parseFrequencyCap(process.env.FREQUENCY_CAP || undefined, (d) => parseDuration(d) ?? null),
  });
  if (values.html) {
    await writeFile(values.html, formatHtml(result));
    progress(`wrote ${values.html}`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(jsonResult(result), null, 2)}\n` : formatText(result));
  progress(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (err) {
  if (err instanceof SimulationInputError) {
    process.stderr.write(`simulate: ${err.message}\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
  } else {
    process.stderr.write(`simulate: failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
}
// The Temporal runtime keeps the event loop alive once installed; everything is written and torn down by now.
process.stdout.write('', () => process.exit());
