import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateFunnel, formatProblem } from './check';
import { isFunnelDefinition } from './define';
import type { Plan } from './plan';
import { planVersion } from './version';

/** A funnel file that passed every check. */
export type LoadedFunnel = { file: string; plan: Plan; version: string };

/** A file-level problem, already formatted as one line. */
export type LoadProblem = { file: string; text: string };

/** The gist of an error in one line (a heading like "Transform failed with 1 error:" gets its next line too). */
function firstLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const [head, next] = lines;
  if (head === undefined) return 'unknown error';
  return head.endsWith(':') && next !== undefined ? `${head} ${next}` : head;
}

/** The path to show: relative to the working directory when inside it, else absolute. */
function shownPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** The funnel files directly in `dir`: `*.ts`, not `_*` or `.*`, not declarations, in name order. */
async function funnelFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !/^[_.]/.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Imports and checks every funnel file in `dir`. Never throws: a file that fails to import, has no
 * `defineFunnel` default export, fails a check or reuses another file's funnel id is reported in
 * `problems` and left out of `funnels`.
 */
export async function loadFunnels(dir: string): Promise<{ funnels: LoadedFunnel[]; problems: LoadProblem[] }> {
  const root = path.resolve(dir);
  const funnels: LoadedFunnel[] = [];
  const problems: LoadProblem[] = [];
  let names: string[];
  try {
    names = await funnelFiles(root);
  } catch (error) {
    const file = shownPath(root);
    return { funnels, problems: [{ file, text: `${file}: cannot read the funnels folder: ${firstLine(error)} — create it or set FUNNELS_DIR` }] };
  }
  const owners = new Map<string, string>();
  for (const name of names) {
    const abs = path.join(root, name);
    const file = shownPath(abs);
    let exported: unknown;
    try {
      // The mtime query makes a re-load after an edit import the new file instead of the cached module.
      const { mtimeMs } = await stat(abs);
      exported = ((await import(`${pathToFileURL(abs).href}?v=${Math.floor(mtimeMs)}`)) as { default?: unknown }).default;
    } catch (error) {
      problems.push({ file, text: `${file}: the file fails to load: ${firstLine(error)} — fix that error (run it with npx tsx ${file} to see where)` });
      continue;
    }
    if (!isFunnelDefinition(exported)) {
      problems.push({ file, text: `${file}: there is no funnel here — end the file with export default defineFunnel({ … })` });
      continue;
    }
    const { plan, problems: found } = validateFunnel(exported);
    if (!plan) {
      for (const p of found) problems.push({ file, text: formatProblem(file, p) });
      continue;
    }
    const owner = owners.get(plan.id);
    if (owner !== undefined) {
      problems.push({ file, text: formatProblem(file, { funnel: plan.id, area: 'id', message: `funnel id '${plan.id}' is already used by ${owner}`, fix: 'give each funnel its own id' }) });
      continue;
    }
    owners.set(plan.id, file);
    funnels.push({ file, plan, version: planVersion(plan) });
  }
  return { funnels, problems };
}
