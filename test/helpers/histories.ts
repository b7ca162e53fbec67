import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** Where recorded workflow histories live, one folder per recording; `test/workflows/replay.test.ts` replays them all. */
export const HISTORIES_DIR = join(import.meta.dirname, '..', 'workflows', 'histories');

/** Text as a file name: lowercase ascii words joined by '-', at most `max` characters. */
function slug(text: string, max = 90): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, max);
}

/**
 * With `RECORD_HISTORIES=<folder>`, writes the workflow's history as a replay fixture into `histories/<folder>/`,
 * named after the running test (plus `suffix`); otherwise does nothing. Call it after the workflow finished. The latest run
 * by default; `runId` names an earlier one (the run a continue-as-new ended).
 */
export async function recordHistory(env: TestWorkflowEnvironment, workflowId: string, suffix = '', runId?: string): Promise<void> {
  const folder = process.env.RECORD_HISTORIES;
  if (!folder) return;
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  // The suffix is kept whole (a long test name is cut instead), so one test can record several histories.
  const tail = suffix ? `-${slug(suffix, 60)}` : '';
  const name = `${slug(expect.getState().currentTestName ?? 'history', 90 - tail.length).replace(/-$/, '')}${tail}`;
  const dir = join(HISTORIES_DIR, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${historyToJSON(history)}\n`);
}

function* jsonFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) yield* jsonFiles(join(dir, e.name));
    else if (e.name.endsWith('.json')) yield join(dir, e.name);
  }
}

/** Every recorded fixture; its workflow id is its path under `histories/`. */
export function recordedHistories(): Array<{ workflowId: string; history: temporal.api.history.v1.IHistory }> {
  return [...jsonFiles(HISTORIES_DIR)].map((file) => ({
    workflowId: relative(HISTORIES_DIR, file).replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))),
  }));
}
