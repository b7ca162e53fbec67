import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Plan } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { startServedApp, SERVED, type ServedTestApp } from '../helpers/served-app';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { createWorkflowGateway } from '../../src/temporal/gateway';
import { createWorker } from '../../src/temporal/worker';
import { createActivities } from '../../src/activities/index';
import { email, wait } from '../../src/dsl/steps';

const D = 86_400_000;
const base = { timezone: 'Europe/Moscow', attributes: ['city', 'source'], events: [], entry: null, goal: { event: 'order.paid', withinMs: 30 * D, exit: true } };
const promo: Plan = { ...base, id: 'promo', name: 'Акция', steps: [email('offer', { subject: 'Скидка', text: 'Только для вас' }), wait('pause', '3d'), email('last', { subject: 'Последний день', text: '!' })] };
const draft: Plan = { ...promo, id: 'draft-promo', name: 'Черновик', draft: true };

/** The seeded audience, written down so the expected selection is computed independently of the engine's query. */
const PEOPLE = Array.from({ length: 24 }, (_, i) => ({
  email: `p${String(i).padStart(2, '0')}@example.test`,
  city: ['Омск', 'Томск', 'Омск'][i % 3]!,
  source: i % 4 === 0 ? 'vk_ads' : 'site',
  emailConsent: i % 5 !== 0,
  test: i % 6 === 0,
}));

function cli(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', resolve('src/cli/broadcast.ts'), ...args], {
      env: { ...process.env, AUTOFUNNEL_URL: url, API_TOKEN: SERVED.apiToken, AUTOFUNNEL_POLL_MS: '200' },
    }, (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('broadcasts (served app, real Temporal)', () => {
  let env: TestWorkflowEnvironment;
  let app: ServedTestApp;
  let worker: Worker;
  let running: Promise<void>;
  const mail = recordingEmail();
  const ids = new Map<string, string>();

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    const taskQueue = `broadcast-${process.pid}`;
    app = await startServedApp({ plans: [promo, draft], gateway: createWorkflowGateway(env.client, taskQueue) });
    worker = await createWorker({
      connection: env.nativeConnection, namespace: 'default', taskQueue,
      activities: createActivities({ db: app.db, email: mail.channel, mailFrom: 'Школа <s@example.test>', publicUrl: SERVED.publicUrl, secretKey: SERVED.secretKey }),
    });
    running = worker.run();
    for (const p of PEOPLE) {
      const res = await app.api('POST', '/api/contacts', { email: p.email, attributes: { city: p.city, source: p.source }, consent: { email: p.emailConsent }, test: p.test });
      ids.set(p.email, res.json.id);
    }
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await app?.stop();
    await env?.teardown();
  });

  const idsOf = (people: typeof PEOPLE) => people.map((p) => ids.get(p.email)!).sort();
  const enrolledIn = async (funnelId: string) => (await app.db.selectFrom('enrollments').select('contact_id').where('funnel_id', '=', funnelId).execute()).map((r) => r.contact_id).sort();
  const finished = (id: string) => env.client.workflow.getHandle(`broadcast:${id}`).result();

  it('counts exactly in a dry run, enrolls exactly those contacts at the rate, and nobody twice when run again', async () => {
    // Already in the funnel: one matching contact enrolled through the API; one matching contact erased.
    const inFunnel = PEOPLE.find((p) => p.city === 'Омск' && p.emailConsent)!;
    await app.api('POST', '/api/funnels/promo/enrollments', { contactId: ids.get(inFunnel.email) });
    const erased = PEOPLE.filter((p) => p.city === 'Омск' && p.emailConsent)[1]!;
    expect((await app.api('DELETE', `/api/contacts/${ids.get(erased.email)}`)).status).toBe(204);
    const expected = PEOPLE.filter((p) => p.city === 'Омск' && p.emailConsent && p !== inFunnel && p !== erased);
    const filter = { attributes: { city: 'Омск' }, consent: { email: true } };

    const dry = await app.api('POST', '/api/funnels/promo/broadcasts', { filter, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json).toEqual({ dryRun: true, funnelId: 'promo', version: 'promo-v1', testOnly: false, count: expected.length });
    expect(await app.counts('broadcasts', 'broadcast_members')).toEqual({ broadcasts: 0, broadcast_members: 0 });

    const started = await app.api('POST', '/api/funnels/promo/broadcasts', { filter, ratePerSecond: 3 });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/broadcasts/${started.json.id}`);
    expect(started.json).toMatchObject({ funnelId: 'promo', status: 'running', total: expected.length, ratePerSecond: 3 });
    expect(await finished(started.json.id)).toEqual({ enrolled: expected.length, skipped: 0 });

    const progress = await app.api('GET', `/api/broadcasts/${started.json.id}`);
    expect(progress.json).toMatchObject({ status: 'done', total: expected.length, enrolled: expected.length, skipped: 0, pending: 0, finishedAt: expect.any(String) });
    expect(await enrolledIn('promo')).toEqual([...idsOf(expected), ids.get(inFunnel.email)!].sort());
    await eventually(() => mail.sent.filter((m) => m.subject === 'Скидка').length === expected.length + 1, 'the offers');
    expect(mail.sent.filter((m) => m.subject === 'Скидка').map((m) => m.to).sort()).toEqual([inFunnel, ...expected].map((p) => p.email).sort());

    // At 3 per second: batches of 3, a second apart (in the workflow's time), so no 4 enrollments within a second.
    const at = (await app.db.selectFrom('enrollments').innerJoin('broadcast_members', 'broadcast_members.enrollment_id', 'enrollments.id')
      .select('enrollments.enrolled_at').orderBy('enrollments.enrolled_at').execute()).map((r) => r.enrolled_at);
    expect(at).toHaveLength(expected.length);
    for (let i = 0; i + 3 < at.length; i++) expect(at[i + 3]! - at[i]!).toBeGreaterThanOrEqual(1000);

    const again = await app.api('POST', '/api/funnels/promo/broadcasts', { filter, dryRun: true });
    expect(again.json.count).toBe(0);
    const rerun = await app.api('POST', '/api/funnels/promo/broadcasts', { filter });
    expect(rerun.json).toMatchObject({ status: 'done', total: 0, enrolled: 0 });
    expect(await enrolledIn('promo')).toHaveLength(expected.length + 1);
    expect((await app.api('GET', '/api/funnels/promo/broadcasts')).json.map((b: { id: string }) => b.id)).toEqual([rerun.json.id, started.json.id]);
  }, 120_000);

  it('a broadcast into a draft enrolls test contacts only', async () => {
    const expected = PEOPLE.filter((p) => p.test && p.source === 'vk_ads' && p.email !== PEOPLE.filter((q) => q.city === 'Омск' && q.emailConsent)[1]!.email);
    const dry = await app.api('POST', '/api/funnels/draft-promo/broadcasts', { filter: { source: 'vk_ads' }, dryRun: true });
    expect(dry.json).toMatchObject({ testOnly: true, count: expected.length });
    const started = await app.api('POST', '/api/funnels/draft-promo/broadcasts', { filter: { source: 'vk_ads' }, ratePerSecond: 100 });
    await finished(started.json.id);
    expect(await enrolledIn('draft-promo')).toEqual(idsOf(expected));
  }, 60_000);

  it('refuses bad requests and stores nothing', async () => {
    const before = await app.counts('broadcasts', 'broadcast_members', 'enrollments');
    expect((await app.api('POST', '/api/funnels/nope/broadcasts', { dryRun: true })).status).toBe(404);
    expect((await app.api('POST', '/api/funnels/promo/broadcasts', { filter: { colour: 'red' } })).status).toBe(400);
    expect((await app.api('POST', '/api/funnels/promo/broadcasts', { ratePerSecond: 0 })).status).toBe(422);
    expect((await app.api('GET', '/api/broadcasts/bc_nope')).status).toBe(404);
    expect(await app.counts('broadcasts', 'broadcast_members', 'enrollments')).toEqual(before);
  });

  it('npm run broadcast: a dry run prints the count; a run waits for the end and enrolls exactly those', async () => {
    const expected = PEOPLE.filter((p) => p.city === 'Томск' && !p.test);
    const dry = await cli(['promo', '--where', 'city=Томск', '--where', 'test=false', '--dry-run'], app.url);
    expect(dry).toMatchObject({ code: 0, stdout: `would enroll ${expected.length} contact(s) into promo@promo-v1\n` });
    const bad = await cli(['promo', '--where', 'consent.fax=true'], app.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('consent is per channel');

    const run = cli(['promo', '--where', 'city=Томск', '--where', 'test=false', '--rate', '600/m', '--json'], app.url);
    // Time skipping moves on while someone waits for a workflow's result: wait for every broadcast this run starts.
    const watch = (async () => {
      const row = await eventually(() => app.db.selectFrom('broadcasts').select('id').where('total', '=', expected.length).where('funnel_id', '=', 'promo').executeTakeFirst(), 'the CLI\'s broadcast');
      await finished(row.id);
    })();
    const [out] = await Promise.all([run, watch]);
    expect(out.code, out.stderr).toBe(0);
    const final = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
    expect(final).toMatchObject({ status: 'done', total: expected.length, enrolled: expected.length, ratePerSecond: 10 });
    expect((await enrolledIn('promo')).filter((id) => idsOf(expected).includes(id))).toEqual(idsOf(expected));
  }, 120_000);
});
