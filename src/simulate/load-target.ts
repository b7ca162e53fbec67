import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VersionedPlan } from '../db/funnels';
import { loadFunnels } from '../dsl/load';
import { validateFunnel, formatProblem } from '../dsl/check';
import { isFunnelDefinition } from '../dsl/define';
import { planVersion } from '../dsl/version';
import { closest } from '../dsl/closest';
import { SimulationInputError } from '../errors';

const notChecked = (what: string, lines: string[]) =>
  new SimulationInputError(`${what} does not pass npm run check — fix these first:`, lines);

async function loadFile(file: string): Promise<VersionedPlan> {
  const shown = path.relative(process.cwd(), file) || file;
  let exported: unknown;
  try {
    exported = ((await import(`${pathToFileURL(path.resolve(file)).href}?v=${Math.floor(statSync(file).mtimeMs)}`)) as { default?: unknown }).default;
  } catch (err) {
    throw notChecked(shown, [`${shown}: the file fails to load: ${(err as Error).message.split('\n')[0]}`]);
  }
  if (!isFunnelDefinition(exported)) throw notChecked(shown, [`${shown}: there is no funnel here — end the file with export default defineFunnel({ … })`]);
  const { plan, problems } = validateFunnel(exported);
  if (!plan) throw notChecked(shown, problems.map((p) => formatProblem(shown, p)));
  return { plan, version: planVersion(plan) };
}

/**
 * The funnel to simulate: a file (`funnels/x.ts`, any path ending in .ts) checked on its own, or an id looked up in
 * `dir` the way `npm run check` loads it. A funnel that does not pass the check is refused with the check's messages.
 */
export async function loadSimulationTarget(target: string, dir: string): Promise<VersionedPlan> {
  if (/\.[cm]?[jt]s$/.test(target) || (existsSync(target) && statSync(target).isFile())) {
    if (!existsSync(target)) throw new SimulationInputError(`${target}: no such file`);
    return loadFile(target);
  }
  const { funnels, problems } = await loadFunnels(dir);
  const found = funnels.find((f) => f.plan.id === target);
  if (found) return { plan: found.plan, version: found.version };
  const mine = problems.filter((p) => p.text.includes(`: ${target}/`) || path.basename(p.file, '.ts') === target);
  if (mine.length > 0) throw notChecked(target, mine.map((p) => p.text));
  const ids = funnels.map((f) => f.plan.id);
  const near = closest(target, ids);
  throw new SimulationInputError(`there is no funnel '${target}' in ${path.relative(process.cwd(), dir) || dir}${near ? ` — did you mean '${near}'?` : ids.length ? ` — funnels: ${ids.join(', ')}` : ''}`);
}
