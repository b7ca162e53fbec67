import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/dsl/plan';
import { storeFunnelVersions } from '../../src/db/funnels';
import { createTestApp, DAY, expectError, T0, welcomePlan, type TestApp } from './test-app';

const HOUR = 3_600_000;

/** Version 2 of the welcome funnel: a 12-hour pause, a reworded nudge, one more touch. */
const welcome2: Plan = {
  ...welcomePlan,
  steps: [
    welcomePlan.steps[0]!,
    { type: 'wait', id: 'pause', ms: 12 * HOUR },
    { type: 'email', id: 'nudge', subject: 'Мы скучаем', text: 'Come back' },
    { type: 'email', id: 'extra', subject: 'One more', text: 'x' },
  ],
};

describe('http/api/versions', () => {
  let t: TestApp;
  let enrollments: string[];
  beforeEach(async () => {
    t = await createTestApp();
    enrollments = [];
    for (const email of ['a@example.test', 'b@example.test', 'c@example.test']) {
      const res = await t.call('POST', '/api/funnels/welcome/enrollments', { contact: { email } });
      enrollments.push(((await res.json()) as { enrollmentId: string }).enrollmentId);
    }
    // Two workflows have noted their rest; the third only answers the query (a run from before steps were noted).
    await t.db.updateTable('enrollments').set({ current_step: 'pause', current_step_at: T0 }).where('id', 'in', enrollments.slice(0, 2)).execute();
    const third = await t.db.selectFrom('enrollments').select('workflow_id').where('id', '=', enrollments[2]!).executeTakeFirstOrThrow();
    t.gateway.steps.set(third.workflow_id, { stepId: 'pause', state: 'waiting' });
    await storeFunnelVersions(t.db, [{ plan: welcome2, version: 'v2' }], T0 + DAY);
    t.deps.funnels.replace([{ plan: welcome2, version: 'v2' }]);
  });
  afterEach(() => t.close());

  const migrations = async () => (await t.db.selectFrom('funnel_migrations').selectAll().execute()).length;

  it('lists the versions in flight with counts per step, the current one first', async () => {
    const res = await t.call('GET', '/api/funnels/welcome/versions');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { version: 'v2', current: true, inFlight: 0, atStep: {} },
      { version: 'v1', current: false, inFlight: 3, atStep: { pause: 3 } },
    ]);
    await expectError(await t.call('GET', '/api/funnels/nope/versions'), 404, 'not_found');
  });

  it('diffs a running version against the current one by step id, with where the resting enrollments would go', async () => {
    const res = await t.call('GET', '/api/funnels/welcome/diff?from=v1');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { to: string; versions: Array<Record<string, unknown>> };
    expect(body.to).toBe('v2');
    expect(body.versions).toEqual([expect.objectContaining({
      version: 'v1', added: [{ stepId: 'extra', type: 'email' }], removed: [], moved: [], contentChanged: ['nudge'],
      timingChanged: [{ stepId: 'pause', from: '1d', to: '12h' }], logicChanged: [], typeChanged: [],
      atStep: [expect.objectContaining({ stepId: 'pause', count: 3, to: 'pause', outcome: 'move', timing: 'retimed', timingChange: '1d → 12h' })],
    })]);
    await expectError(await t.call('GET', '/api/funnels/welcome/diff?from=v0'), 404, 'not_found');
    await expectError(await t.call('GET', '/api/funnels/welcome/diff?from=v2'), 422, 'same_version');
  });

  it('answers a dry run with what would move per step and changes nothing; a real run answers 202 and starts the migration', async () => {
    await t.call('GET', '/api/funnels/welcome/versions'); // notes the third enrollment's step
    const dry = await t.call('POST', '/api/funnels/welcome/migrations', { from: 'v1', dryRun: true });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({
      dryRun: true, funnelId: 'welcome', from: 'v1', to: 'v2', versions: ['v1'], total: 3, move: 3, stay: 0, unknown: 0,
      steps: [{ version: 'v1', stepId: 'pause', count: 3, to: 'pause', outcome: 'move', timing: 'retimed', timingChange: '1d → 12h', mapped: false }],
    });
    expect(await migrations()).toBe(0);
    expect(t.gateway.migrations).toEqual([]);

    const res = await t.call('POST', '/api/funnels/welcome/migrations', { from: 'all' });
    expect(res.status).toBe(202);
    const started = (await res.json()) as { id: string };
    expect(started).toMatchObject({ id: expect.stringMatching(/^mg_/), funnelId: 'welcome', from: 'all', to: 'v2', status: 'running', total: 3, asked: 0, moved: 0, pending: 3 });
    expect(t.gateway.migrations).toEqual([started.id]);
    const progress = await t.call('GET', `/api/funnels/welcome/migrations/${started.id}`);
    expect(await progress.json()).toEqual(started);
    expect(((await (await t.call('GET', '/api/funnels/welcome/migrations')).json()) as unknown[]).length).toBe(1);
    await expectError(await t.call('POST', '/api/funnels/welcome/migrations', { from: 'all' }), 409, 'conflict');
    await expectError(await t.call('GET', '/api/funnels/welcome/migrations/mg_nope'), 404, 'not_found');
  });

  it('refuses bad input with a clear error and moves nothing', async () => {
    const cases: Array<[unknown, number, string, RegExp?]> = [
      [{ from: 'v0' }, 404, 'not_found', /funnel version "welcome@v0" not found/],
      [{ from: 'v1', map: { missing: 'pause' } }, 422, 'unknown_step', /"missing" is not a step of v1/],
      [{ from: 'v1', map: { pause: 'nowhere' } }, 422, 'unknown_step', /"nowhere" is not a step of the current version v2/],
      [{ from: 'v1', map: { pause: 'extra' } }, 422, 'step_type_mismatch', /pause is a wait step .* extra a email step/],
      [{ from: 'v2' }, 422, 'same_version'],
      [{ from: 'v1', dryRun: 'yes' }, 400, 'bad_request'],
      [{ map: {} }, 400, 'bad_request'],
      ['{"from": ', 400, 'invalid_json'],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await expectError(await t.call('POST', '/api/funnels/welcome/migrations', body), status, code);
      if (message) expect(answer.error.message).toMatch(message);
    }
    await expectError(await t.call('POST', '/api/funnels/nope/migrations', { from: 'all' }), 404, 'not_found');
    t.deps.funnels.replace([{ plan: welcome2, version: 'v2' }], [{ file: 'funnels/welcome.ts', funnelIds: ['welcome'], text: "funnels/welcome.ts: welcome/extra: unknown variable 'contact.nmae'" }]);
    const refused = await expectError(await t.call('POST', '/api/funnels/welcome/migrations', { from: 'all', dryRun: true }), 422, 'funnel_refused');
    expect(refused.error.message).toContain("unknown variable 'contact.nmae'");
    expect(await migrations()).toBe(0);
    expect(t.gateway.migrations).toEqual([]);
    expect((await t.db.selectFrom('enrollments').select('version').execute()).map((r) => r.version)).toEqual(['v1', 'v1', 'v1']);
  });
});
