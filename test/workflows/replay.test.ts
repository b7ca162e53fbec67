import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../../src/temporal/binaries';
import { workflowBundle } from '../../src/temporal/worker';
import { recordedHistories } from '../helpers/histories';

/** Replays every fixture with the given bundle; the failures, as `<fixture>: <error>`. */
async function replayFailures(bundle: Awaited<ReturnType<typeof workflowBundle>>): Promise<string[]> {
  const failures: string[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, recordedHistories())) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${r.error.message.split('\n')[0]}`);
  }
  return failures;
}

describe('recorded enrollment histories', () => {
  it('includes fixtures recorded before this round (the full-plan input) and after lean versions', () => {
    const ids = recordedHistories().map((h) => h.workflowId);
    expect(ids.filter((id) => id.startsWith('2026-12-01-full-plan/')).length).toBeGreaterThanOrEqual(16);
  });

  it('cover both input shapes: the whole plan and content-carrying sends (before lean versions), the lean plan and named sends, migrations', () => {
    const decode = (p: { data?: Uint8Array | null } | undefined) => JSON.parse(Buffer.from(p?.data ?? []).toString()) as Record<string, unknown>;
    const shapes = (folder: string) => recordedHistories().filter((h) => h.workflowId.startsWith(`${folder}/`)).map(({ history }) => {
      const events = history.events ?? [];
      const input = decode(events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
      const sends = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTouch')
        .map((e) => decode(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!));
      return {
        wholePlan: 'plan' in input, lean: 'skeleton' in input, resumed: Boolean((input.carried as { resume?: unknown } | undefined)?.resume),
        carriedSends: sends.some((x) => 'touch' in x), namedSends: sends.some((x) => 'touchId' in x),
        migrated: events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'migrate'),
      };
    });
    const before = shapes('2026-12-01-full-plan');
    expect(before.every((x) => x.wholePlan && !x.lean)).toBe(true);
    expect(before.some((x) => x.carriedSends)).toBe(true);
    const lean = shapes('2026-12-lean-versions');
    expect(lean.filter((x) => x.lean).length).toBeGreaterThanOrEqual(15);
    expect(lean.some((x) => x.namedSends && !x.carriedSends)).toBe(true);
    expect(lean.filter((x) => x.migrated).length).toBeGreaterThanOrEqual(4); // runs a migrate signal ended (continue-as-new)
    expect(lean.some((x) => x.migrated && x.wholePlan)).toBe(true); // a run with the whole plan, migrated
    expect(lean.filter((x) => x.resumed).length).toBeGreaterThanOrEqual(4); // runs that began where a migration put them
  });

  it('replay against the current workflow code without a nondeterminism error', async () => {
    expect(await replayFailures(await workflowBundle())).toEqual([]);
  });

  it('would catch a change that breaks a running enrollment (a new activity call without patched())', async () => {
    const dir = join(projectRoot, '.cache', 'replay-mutant-workflows');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(projectRoot, 'workflows'), dir, { recursive: true });
    const file = join(dir, 'enrollment.ts');
    const source = readFileSync(file, 'utf8');
    const anchor = 'const lists = indexStepLists(plan.steps);';
    expect(source).toContain(anchor);
    writeFileSync(file, source.replace(anchor, `await acts.contactFacts({ contactId: input.contactId });\n  ${anchor}`));
    const mutant = await bundleWorkflowCode({ workflowsPath: join(dir, 'index.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    const failures = await replayFailures(mutant);
    expect(failures.length).toBe(recordedHistories().length);
    expect(failures[0]).toMatch(/Nondeterminism|DeterminismViolation/i);
  }, 120_000);
});
