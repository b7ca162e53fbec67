import { execFile } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink';
import { eventually, freePort, withinMs } from '../helpers/ports';
import { startStack, stopStack } from '../helpers/stack';
import { engineDatabaseEnv } from '../helpers/test-db';

const TOKEN = 'e2e-migrate-token-0123456789';
const DSL = resolve('src/dsl/index.ts');

/**
 * The funnel file, version 1 or 2. Each contact goes one way by its `path` attribute: a waits for an event (waitFor),
 * b waits an hour (wait), c passes a split and cools down for an hour. Version 2 shortens b's wait to 5 s, replaces
 * `cool` by `rest` (1 s), rewords `final`, adds `bonus` and removes `old-note`.
 */
function funnelFile(version: 1 | 2): string {
  const two = version === 2;
  return `import { branch, defineFunnel, email, split, wait, waitFor, when } from ${JSON.stringify(DSL)};
export default defineFunnel({
  id: 'mig-demo', name: 'Перенос (e2e)', entry: null, timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '1d', exit: true }, attributes: ['path'], events: ['go.on'],
  steps: [
    email('welcome', { subject: 'Добро пожаловать, {{ contact.attributes.path }}', text: 'Здравствуйте.' }),
    branch('way', {
      if: when.attributeEquals('path', 'a'),
      then: [waitFor('gate', { event: 'go.on', timeout: '1h', then: [email('passed', { subject: 'Дверь открыта', text: 'x' })], else: [] })],
      else: [branch('way-b', {
        if: when.attributeEquals('path', 'b'),
        then: [wait('pause', '${two ? '5s' : '1h'}')],
        else: [
          split('ab', [{ id: 'a', steps: [email('offer-a', { subject: 'Скидка A', text: 'x' })] }, { id: 'b', steps: [email('offer-b', { subject: 'Скидка B', text: 'x' })] }]),
          ${two ? "wait('rest', '1s')" : "wait('cool', '1h')"},
        ],
      })],
    }),
    email('final', { subject: '${two ? 'Последний шанс: −30% до полуночи' : 'Последний шанс'}', text: 'x' }),
    ${two ? "email('bonus', { subject: 'Бонус: чек-лист', text: 'x' })," : "email('old-note', { subject: 'Заметка', text: 'x' }),"}
    email('bye', { subject: 'До встречи', text: 'x' }),
  ],
});
`;
}

/** `npm run funnels -- …` as a child process; one still running after 90 s is killed and answers code -1. */
function funnels(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', resolve('src/cli/funnels.ts'), ...args], { env: { ...process.env, ...env }, timeout: 90_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err && (err as { killed?: boolean }).killed) return done({ code: -1, stdout, stderr: `${stderr}\n(funnels ${args.join(' ')} killed after 90 s)` });
      done({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
    });
  });
}

describe('migrating in-flight enrollments through npm start, the CLI and the API', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let env: Record<string, string>;
  let base: string;
  let dir: string;
  let stack: ReturnType<typeof startStack> | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'autofunnel-e2e-migrate-'));
    env = {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), FUNNELS_DIR: join(dir, 'funnels'), SMTP_URL: smtp.url,
      MAIL_FROM: 'Школа <school@example.test>', API_TOKEN: TOKEN, ADMIN_PASSWORD: 'e2e-admin-password',
      TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), TEMPORAL_TASK_QUEUE: 'autofunnel-e2e-migrate', LOG_LEVEL: 'warn',
      ...(await engineDatabaseEnv()), // DATABASE_URL=postgres://… in the PostgreSQL run
    };
    mkdirSync(env.FUNNELS_DIR!, { recursive: true });
  });
  afterAll(async () => {
    if (stack) await stopStack(stack.child);
    await smtp?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: await res.json() as any };
  };
  const up = async () => {
    stack = startStack(env);
    await eventually(async () => (await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.json()).catch(() => null) as any)?.status === 'ok', 'health ok', 90_000, 500)
      .catch((err) => { throw new Error(`${err.message}\n${stack!.output()}`); });
  };
  const subjectsOf = (path: string) => smtp.mails.filter((m) => m.to[0] === `${path}@example.test`).map((m) => m.subject);

  // Where the scenario is, so a run that runs out of time says which step it was on and what the stack printed.
  const marks: string[] = [];
  const started = Date.now();
  const mark = (what: string) => { marks.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${what}`); };

  it('moves a waitFor, a wait and a post-split enrollment onto the edited file; the dry run and a bad map move nothing; a re-run moves nobody', async () => {
    await withinMs(280_000, 'the migration scenario', scenario()).catch(async (err: Error) => {
      const histories = await saveHistories().catch((e: Error) => `(histories not saved: ${e.message})`);
      throw new Error(`${err.message}\nsteps:\n${marks.join('\n')}\nworkflow histories: ${histories}\nthe stack's last output:\n${stack?.output().slice(-6000) ?? ''}`, { cause: err });
    });
  }, 300_000);

  /** Every workflow's history as JSON into a folder (what a failed run leaves to replay): the folder's path. */
  async function saveHistories(): Promise<string> {
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_PORT}`, connectTimeout: 5_000 });
    try {
      const client = new Client({ connection });
      const out = join(dir, 'histories');
      mkdirSync(out, { recursive: true });
      for await (const wf of client.workflow.list()) {
        const shown = await new Promise<string>((done, fail) => execFile(resolve('.temporal/bin/temporal'), [
          'workflow', 'show', '--address', `127.0.0.1:${env.TEMPORAL_DEV_PORT}`, '-w', wf.workflowId, '-r', wf.runId, '--output', 'json',
        ], { maxBuffer: 64 << 20, timeout: 20_000 }, (e, stdout) => (e ? fail(e) : done(stdout))));
        writeFileSync(join(out, `${wf.workflowId}.${wf.runId}.json`), shown);
      }
      return out;
    } finally {
      await connection.close();
    }
  }

  async function scenario(): Promise<void> {
    mark('start v1');
    writeFileSync(join(env.FUNNELS_DIR!, 'mig-demo.ts'), funnelFile(1));
    await up();
    const ids: Record<string, string> = {};
    for (const path of ['a', 'b', 'c']) {
      const res = await api('POST', '/api/funnels/mig-demo/enrollments', { contact: { email: `${path}@example.test`, attributes: { path }, consent: { email: true } } });
      expect(res.status).toBe(201);
      ids[path] = res.body.enrollmentId;
    }
    await eventually(async () => {
      const v = (await api('GET', '/api/funnels/mig-demo/versions')).body;
      return v[0]?.atStep?.gate === 1 && v[0].atStep.pause === 1 && v[0].atStep.cool === 1 && v;
    }, 'three enrollments resting at gate, pause and cool', 60_000);
    mark('three resting');
    const v1 = (await api('GET', '/api/funnels')).body[0].version as string;
    const versions = await funnels(['versions', 'mig-demo'], env);
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.stdout).toContain(`${v1} (current)  in flight: 3`);
    expect(versions.stdout).toMatch(/cool\s+1\n\s+gate\s+1\n\s+pause\s+1/);

    // The marketer edits the file; the CLI refuses to migrate onto a file the server does not run yet.
    writeFileSync(join(env.FUNNELS_DIR!, 'mig-demo.ts'), funnelFile(2));
    const early = await funnels(['migrate', 'mig-demo', '--from', 'all', '--map', 'cool=rest'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/mig-demo\.ts is version \w+, the server runs \w+: restart it/);
    mark('stop v1');
    expect(await stopStack(stack!.child)).toBe(0);
    mark('start v2');
    await up();
    mark('v2 up');
    const v2 = (await api('GET', '/api/funnels')).body[0].version as string;
    expect(v2).not.toBe(v1);

    const diff = await funnels(['diff', 'mig-demo'], env);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`mig-demo: ${v1} → ${v2} (current)`);
    expect(diff.stdout).toContain('added:           rest (wait), bonus (email)');
    expect(diff.stdout).toContain('removed:         cool (wait), old-note (email)');
    expect(diff.stdout).toContain('content changed: final');
    expect(diff.stdout).toContain('timing changed:  pause 1h → 5s');
    expect(diff.stdout).toContain('cool ×1 → stays on');
    expect(diff.stdout).toContain('gate ×1 → gate (keeps its due time)');
    expect(diff.stdout).toContain('pause ×1 → pause (re-timed from when it began: 1h → 5s)');

    mark('diff done');
    const dry = await funnels(['migrate', 'mig-demo', '--from', 'all', '--map', 'cool=rest', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('cool ×1 → rest (mapped) (re-timed from when it began: 1h → 1s)');
    expect(dry.stdout).toContain('would move 3, stay 0 (of 3 in flight)');
    expect(dry.stdout).toContain('dry run: nothing changed');
    const apiDry = await api('POST', '/api/funnels/mig-demo/migrations', { from: v1, map: { cool: 'rest' }, dryRun: true });
    expect(apiDry).toMatchObject({ status: 200, body: { dryRun: true, move: 3, stay: 0 } });
    const bad = await funnels(['migrate', 'mig-demo', '--from', 'all', '--map', 'cool=final'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cool is a wait step');
    expect((await api('GET', '/api/funnels/mig-demo/migrations')).body).toEqual([]);
    expect((await api('GET', '/api/funnels/mig-demo/versions')).body.find((v: any) => v.version === v1)).toMatchObject({ inFlight: 3 });
    expect(smtp.mails.map((m) => m.subject).filter((s) => s.startsWith('Последний'))).toEqual([]);

    mark('migrate');
    const run = await funnels(['migrate', 'mig-demo', '--from', 'all', '--map', 'cool=rest'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: done — asked 3\/3, moved 3, stayed 0, finished 0, pending 0/);
    const id = /migration (mg_\w+)/.exec(run.stdout)![1]!;
    expect((await api('GET', `/api/funnels/mig-demo/migrations/${id}`)).body).toMatchObject({ status: 'done', from: 'all', to: v2, moved: 3, map: { cool: 'rest' } });

    mark('migrated; go.on');
    expect((await api('POST', '/api/events', { email: 'a@example.test', name: 'go.on' })).status).toBe(202);
    await eventually(() => ['a', 'b', 'c'].every((p) => subjectsOf(p).includes('До встречи')), 'everyone at the end', 60_000);
    mark('everyone at the end');
    const offer = subjectsOf('c').find((s) => s.startsWith('Скидка'))!;
    expect(subjectsOf('a')).toEqual(['Добро пожаловать, a', 'Дверь открыта', 'Последний шанс: −30% до полуночи', 'Бонус: чек-лист', 'До встречи']);
    expect(subjectsOf('b')).toEqual(['Добро пожаловать, b', 'Последний шанс: −30% до полуночи', 'Бонус: чек-лист', 'До встречи']);
    expect(subjectsOf('c')).toEqual(['Добро пожаловать, c', offer, 'Последний шанс: −30% до полуночи', 'Бонус: чек-лист', 'До встречи']);
    const c = (await api('GET', `/api/enrollments/${ids.c}`)).body;
    expect(c.version).toBe(v2);
    expect(c.timeline.filter((t: any) => t.type === 'migration')).toEqual([expect.objectContaining({ fromVersion: v1, toVersion: v2, fromStep: 'cool', toStep: 'rest', outcome: 'moved' })]);

    const again = await funnels(['migrate', 'mig-demo', '--from', 'all', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 0, asked: 0, moved: 0, status: 'done' });
  }
});
