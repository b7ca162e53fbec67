import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink';
import { eventually, freePort } from '../helpers/ports';
import { startStack, stopStack } from '../helpers/stack';
import { engineDatabaseEnv, openEngineDatabase } from '../helpers/test-db';
import { upsertContact } from '../../src/db/contacts';
import { commandLine, type DevServerRecord } from '../../src/temporal/dev-server-pid';

const TOKEN = 'e2e-token-0123456789abcdef';

/** `npm start`'s embedded Temporal dev server as real processes: a hard kill, a leftover, a stranger on the port. */
describe('the embedded Temporal dev server (npm start)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let env: Record<string, string>;
  let base: string;
  const running: Array<ReturnType<typeof startStack>> = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-devserver-')),
      FUNNELS_DIR: resolve('test/e2e/funnels'), SMTP_URL: smtp.url, API_TOKEN: TOKEN, ADMIN_PASSWORD: 'e2e-admin-password',
      TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), TEMPORAL_TASK_QUEUE: 'autofunnel-devserver',
      ...(await engineDatabaseEnv()),
    };
  });
  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await smtp?.close();
  });

  const record = () => JSON.parse(readFileSync(join(env.DATA_DIR!, 'temporal', 'dev-server.pid'), 'utf8')) as DevServerRecord;
  const start = async (extra: Record<string, string> = {}) => {
    const stack = startStack({ ...env, ...extra });
    running.push(stack);
    await eventually(async () => (await fetch(`${base}/health`).then((r) => r.json()).catch(() => null) as { status?: string } | null)?.status === 'ok',
      'health ok', 90_000, 300).catch((err) => { throw new Error(`${err.message}\n${stack.output()}`); });
    return stack;
  };
  const exitOf = (stack: ReturnType<typeof startStack>) => new Promise<number | null>((res) => {
    if (stack.child.exitCode !== null) return res(stack.child.exitCode);
    stack.child.once('exit', (code) => res(code));
  });

  it('stops the Temporal child within seconds when npm start is killed with -9', async () => {
    const stack = await start();
    const { pid, guardPid, db } = record();
    expect(commandLine(pid)).toContain(db);
    stack.child.kill('SIGKILL');
    const killedAt = Date.now();
    await eventually(() => commandLine(pid) === null && commandLine(guardPid) === null, 'the dev server to follow its parent', 10_000, 100);
    expect(Date.now() - killedAt).toBeLessThan(6_000);
  }, 120_000);

  it('replaces a leftover dev server of its own DATA_DIR, and starts an enrollment a crash left without a workflow', async () => {
    const first = await start();
    const leftover = record();
    // Both the engine and its guard die hard: the CLI is left running on this DATA_DIR's database.
    process.kill(leftover.guardPid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await exitOf(first);
    await new Promise((r) => setTimeout(r, 500));
    expect(commandLine(leftover.pid)).toContain(leftover.db);

    // The crash this engine had, between writing an enrollment and starting its workflow.
    const db = openEngineDatabase(env);
    const { contact } = await upsertContact(db, { email: 'olga@example.test', name: 'Ольга', attributes: { course: 'SQL' }, consent: { email: true } }, 'test');
    const funnel = await db.selectFrom('funnels').select('current_version').where('id', '=', 'quick-welcome').executeTakeFirstOrThrow();
    await db.insertInto('enrollments').values({
      id: 'en_crashed', funnel_id: 'quick-welcome', contact_id: contact.id, version: funnel.current_version, workflow_id: `funnel:quick-welcome:${contact.id}`,
      status: 'active', enrolled_at: Date.now(), workflow_started_at: null,
    }).execute();
    await db.destroy();

    const second = await start();
    expect(second.output()).toContain('stopping a leftover temporal dev server of this DATA_DIR');
    expect(commandLine(leftover.pid)).toBeNull();
    expect(record().pid).not.toBe(leftover.pid);
    const hello = await eventually(() => smtp.mails.find((m) => m.subject === 'Здравствуйте, Ольга!'), 'the orphaned enrollment\'s first email', 30_000);
    expect(hello.to).toEqual(['olga@example.test']);
  }, 180_000);

  it('refuses a port another server holds, naming the port and the variable, and never reports ready', async () => {
    // Another project's Temporal (here: the one running above, with another DATA_DIR) on TEMPORAL_DEV_PORT …
    const other = startStack({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-stranger-')), PORT: String(await freePort()) });
    running.push(other);
    expect(await exitOf(other)).toBe(1);
    expect(other.output()).toContain(`TEMPORAL_DEV_PORT=${env.TEMPORAL_DEV_PORT}: port ${env.TEMPORAL_DEV_PORT} on 127.0.0.1 is already in use by another process`);
    expect(other.output()).not.toContain('temporal dev server ready');

    // … and anything at all on TEMPORAL_UI_PORT.
    const squatter: Server = createServer();
    const uiPort = await freePort();
    await new Promise<void>((r) => squatter.listen(uiPort, '127.0.0.1', r));
    try {
      const third = startStack({
        ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-stranger-')), PORT: String(await freePort()),
        TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(uiPort),
      });
      running.push(third);
      expect(await exitOf(third)).toBe(1);
      expect(third.output()).toContain(`TEMPORAL_UI_PORT=${uiPort}: port ${uiPort} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 120_000);

  it('stops the dev server with the engine on SIGTERM and forgets it', async () => {
    const stack = running.find((s) => s.child.exitCode === null && s.child.signalCode === null)!;
    const { pid } = record();
    expect(await stopStack(stack.child)).toBe(0);
    expect(commandLine(pid)).toBeNull();
    expect(existsSync(join(env.DATA_DIR!, 'temporal', 'dev-server.pid'))).toBe(false);
  }, 60_000);
});
