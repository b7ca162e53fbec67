import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateFunnel, formatProblem, formatWarning, type CheckEnvironment } from './check';
import { isFunnelDefinition } from './define';
import type { Plan } from './plan';
import { planVersion } from './version';

/** A funnel file that passed every check. */
export type LoadedFunnel = { file: string; plan: Plan; version: string };

/** A file-level problem (or warning), already formatted as one line, with the funnels it concerns when they are known. */
export type LoadProblem = { file: string; text: string; funnelIds?: string[] };

/** What the loader takes into account besides the files. */
export interface LoadOptions extends CheckEnvironment {
  /**
   * Which funnel owns each webinar id already (the engine's database): on a clash the owner keeps the webinar and
   * the other file is refused, whatever order the files load in. Without it, the first file in name order keeps it.
   */
  webinarOwners?: ReadonlyMap<string, string>;
}

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
 * `defineFunnel` default export, fails a check, reuses another file's funnel id or declares a webinar id another
 * file declares (webinar ids are global) is reported in `problems` and left out of `funnels`. Warnings (things that
 * will misbehave at run time) are listed apart; they refuse nothing.
 */
export async function loadFunnels(dir: string, options: LoadOptions = {}): Promise<{ funnels: LoadedFunnel[]; problems: LoadProblem[]; warnings: LoadProblem[] }> {
  const root = path.resolve(dir);
  const funnels: LoadedFunnel[] = [];
  const problems: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  let names: string[];
  try {
    names = await funnelFiles(root);
  } catch (error) {
    const file = shownPath(root);
    return { funnels, problems: [{ file, text: `${file}: cannot read the funnels folder: ${firstLine(error)} — create it or set FUNNELS_DIR` }], warnings };
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
    const { plan, problems: found, warnings: cautions } = validateFunnel(exported, options);
    for (const w of cautions) warnings.push({ file, text: formatWarning(file, w), funnelIds: [w.funnel] });
    if (!plan) {
      for (const p of found) problems.push({ file, text: formatProblem(file, p), funnelIds: [p.funnel] });
      continue;
    }
    const owner = owners.get(plan.id);
    if (owner !== undefined) {
      problems.push({ file, funnelIds: [plan.id], text: formatProblem(file, { funnel: plan.id, area: 'id', message: `funnel id '${plan.id}' is already used by ${owner}`, fix: 'give each funnel its own id' }) });
      continue;
    }
    owners.set(plan.id, file);
    funnels.push({ file, plan, version: planVersion(plan) });
  }
  return { funnels: refuseWebinarClashes(funnels, problems, options.webinarOwners), problems, warnings };
}

/**
 * Two funnels declaring the same webinar id would share one webinar (its sessions, its start): the funnel that does
 * not keep it is refused, with a message naming both files. The keeper is the funnel that owns it already, else the
 * first in name order.
 */
function refuseWebinarClashes(funnels: LoadedFunnel[], problems: LoadProblem[], webinarOwners?: ReadonlyMap<string, string>): LoadedFunnel[] {
  const keeper = new Map<string, LoadedFunnel>();
  const declared = funnels.flatMap((f) => (f.plan.webinars ?? []).map((w) => ({ f, id: w.id })));
  for (const { f, id } of declared) if (webinarOwners?.get(id) === f.plan.id) keeper.set(id, f);
  for (const { f, id } of declared) if (!keeper.has(id)) keeper.set(id, f);
  const refused = new Set<LoadedFunnel>();
  for (const { f, id } of declared) {
    const kept = keeper.get(id)!;
    if (kept === f) continue;
    refused.add(f);
    problems.push({
      file: f.file, funnelIds: [f.plan.id, kept.plan.id],
      text: formatProblem(f.file, {
        funnel: f.plan.id, area: 'webinars',
        message: `webinar '${id}' is also declared by ${kept.file} (funnel '${kept.plan.id}'); both funnels would share one webinar and its sessions`,
        fix: `webinar ids are global: give this webinar its own id (e.g. '${f.plan.id}-${id}'), or remove one of the files`,
      }),
    });
  }
  return funnels.filter((f) => !refused.has(f));
}
