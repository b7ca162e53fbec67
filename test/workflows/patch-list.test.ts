import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowBundle } from '../../src/temporal/worker';
import { ENROLLMENT_PATCHES } from '../../workflows/patches';

/**
 * A live history (the migrate e2e under load, path `a`): the local activity `contactFacts` finished as its workflow
 * task completed (event 14, recorded by the task of event 11), and the code after it — the first `patched('note-step')`,
 * the `noteStep` local activity, the timer — ran in the next task (events 15–21). Then a migrate signal (22).
 */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'local-activity-split-before-note-step.json');

type JsonEvent = Record<string, unknown> & { eventId: string; eventType: string };

function fixture(): { events: JsonEvent[] } {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as { events: JsonEvent[] };
}

/**
 * The same run as if it had been started with the patch list: the list in its input, and no patch markers (nor the
 * search-attribute upserts that come with them) in its history; event ids renumbered and every reference to them too.
 */
function startedWithPatchList(history: { events: JsonEvent[] }): { events: JsonEvent[] } {
  const isPatch = (e: JsonEvent) => (e.eventType === 'EVENT_TYPE_MARKER_RECORDED'
    && (e.markerRecordedEventAttributes as { markerName: string }).markerName === 'core_patch')
    || e.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES';
  const kept = history.events.filter((e) => !isPatch(e));
  const ids = new Map(kept.map((e, i) => [e.eventId, String(i + 1)]));
  const renumber = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(renumber);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, /EventId$/.test(k) && typeof x === 'string' ? ids.get(x) ?? x : renumber(x)]));
    }
    return v;
  };
  const events = kept.map((e) => ({ ...(renumber(e) as JsonEvent), eventId: ids.get(e.eventId)! }));
  const started = (events[0] as Record<string, unknown>).workflowExecutionStartedEventAttributes as { input: { payloads: Array<{ data: string }> } };
  const input = JSON.parse(Buffer.from(started.input.payloads[0]!.data, 'base64').toString()) as Record<string, unknown>;
  started.input.payloads[0]!.data = Buffer.from(JSON.stringify({ ...input, patches: [...ENROLLMENT_PATCHES] })).toString('base64');
  return { events };
}

async function replay(history: { events: JsonEvent[] }): Promise<Error | undefined> {
  const bundle = await workflowBundle();
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, [{ workflowId: 'split', history: historyFromJSON(history) }])) return r.error;
  return undefined;
}

describe('runs started with the patch list', () => {
  it('names every patch id the enrollment workflow branches on', () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'workflows', 'enrollment.ts'), 'utf8');
    const constants = Object.fromEntries([...source.matchAll(/const (\w+) = '([\w-]+)';/g)].map((m) => [m[1]!, m[2]!]));
    const used = [...source.matchAll(/\bhas\((?:'([\w-]+)'|(\w+))\)/g)].map((m) => m[1] ?? constants[m[2]!]);
    expect(used.every((id) => id !== undefined)).toBe(true);
    expect([...new Set(used)].sort()).toEqual([...ENROLLMENT_PATCHES].sort());
    expect(source.match(/(?<![\w.])patched\(/g)).toHaveLength(1); // only inside has()
  });

  it('replays a run whose local activity ended as its workflow task completed, which the markers alone cannot', async () => {
    // Deciding by markers, replay hands the local activity's result back at once and reaches patched('note-step') one
    // activation before its marker is announced: the nondeterminism error the live worker hit.
    const byMarkers = await replay(fixture());
    expect(byMarkers?.message).toMatch(/Non-deprecated patch marker encountered for change note-step/);
    // Deciding by the input, the same sequence of commands replays.
    expect(await replay(startedWithPatchList(fixture()))).toBeUndefined();
  }, 60_000);
});
