import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordHistory } from '../helpers/histories';
import { eventually } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email, task, wait } from '../../src/dsl/steps';
import { Plan } from '../../src/dsl/plan';
import { logTouches } from '../../src/staff/log-touches';
import { createTeamNotifier } from '../../src/handoff/team-notify';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifySignature, webhookSigningSecret } from '../../src/handoff/index';
import { TEST_SECRET_KEY } from '../helpers/harness';

const MIN = 60_000;
const D = 24 * 60 * MIN;

const funnel: VersionedPlan = {
  version: 't1',
  plan: {
    id: 'consult', name: 'Консультация', entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 7 * D, exit: true },
    attributes: [], events: [],
    steps: [
      email('request', { subject: 'Заявка принята', text: 'Менеджер перезвонит' }),
      task('callback', {
        title: 'Перезвонить в течение 2 часов', assignee: 'Ольга', timeout: '2h',
        then: [email('after-call', { subject: 'Спасибо за разговор', text: 'Как обсуждали' }), wait('decide', '1d')],
        else: [email('missed', { subject: 'Не дозвонились', text: 'Выберите время' })],
      }),
    ],
  },
};

/** A loopback webhook that records what it gets; the first `fail` requests answer 503. */
function taskWebhook(fail = 0) {
  const got: Array<{ headers: Record<string, unknown>; body: Record<string, unknown>; raw: string }> = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString(); });
    req.on('end', () => {
      n += 1;
      if (n <= fail) { res.writeHead(503).end(); return; }
      got.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown>, raw });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return {
    got, server,
    url: () => new Promise<string>((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`))),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('a task() step asks the staff and branches on the logged touch (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('is a valid plan step', () => {
    expect(Plan.safeParse(funnel.plan).success).toBe(true);
    expect(funnel.plan.steps[1]).toMatchObject({ type: 'task', kind: 'call', timeoutMs: 2 * 60 * MIN, assignee: 'Ольга' });
  });

  it('hands each task to the webhook (retrying a refusal); the logged call takes the then-branch, no call the else-branch', async () => {
    const mail = recordingEmail();
    const hook = taskWebhook(1);
    const webhookUrl = await hook.url();
    try {
      await withHarness(env, [funnel], mail.channel, async (h) => {
        const make = async (address: string, name: string) => (await upsertContact(h.db, { email: address, name, consent: { email: true } }, 'test')).contact;
        const called = await make('called@example.test', 'Анна');
        const missed = await make('missed@example.test', 'Борис');
        for (const c of [called, missed]) await enroll(h.deps, 'consult', c.id);
        await eventually(async () => hook.got.length === 2, 'both tasks handed off', 20_000);
        const task = hook.got.find((g) => (g.body.contact as { id: string }).id === called.id)!;
        expect(task.body).toMatchObject({
          type: 'staff_task', id: `${(await h.db.selectFrom('enrollments').select('id').where('contact_id', '=', called.id).executeTakeFirstOrThrow()).id}:callback`,
          funnelId: 'consult', funnelName: 'Консультация', taskId: 'callback', kind: 'call', title: 'Перезвонить в течение 2 часов', assignee: 'Ольга',
          contact: { id: called.id, name: 'Анна', email: 'called@example.test' },
          logUrl: `https://funnels.example.test/dashboard/contacts/${called.id}#log-touch`,
        });
        expect(task.headers['idempotency-key']).toBe(task.body.id);
        expect(Date.parse(task.body.dueAt as string) - h.deps.now()).toBeGreaterThan(100 * MIN);

        await h.advance(30 * MIN);
        await logTouches({ ...h.deps, engine: h.deps }, [{ contactId: called.id, funnelId: 'consult', kind: 'call', by: 'Ольга', outcome: 'записалась' }], { source: 'api' });
        await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('touch_id', '=', 'after-call').execute()).length === 1, 'the after-call email');
        const missedResult = await env.client.workflow.getHandle(`funnel:consult:${missed.id}`).result();
        expect(missedResult).toEqual({ status: 'exited', reason: 'completed' });
        const calledResult = await env.client.workflow.getHandle(`funnel:consult:${called.id}`).result();
        expect(calledResult).toEqual({ status: 'exited', reason: 'completed' });
        await recordHistory(env, `funnel:consult:${called.id}`);

        const ledger = async (contactId: string) => (await h.db.selectFrom('deliveries').select('touch_id').where('contact_id', '=', contactId).orderBy('scheduled_at').orderBy('created_at').execute()).map((r) => r.touch_id);
        expect(await ledger(called.id)).toEqual(['request', 'call', 'after-call']);
        expect(await ledger(missed.id)).toEqual(['request', 'missed']);
      }, { staffTasks: { webhookUrl, publicUrl: 'https://funnels.example.test' } });
    } finally {
      await hook.close();
    }
  });

  it('signs each task like every hand-off and also tells the team (TEAM_EMAIL), once per task', async () => {
    const mail = recordingEmail();
    const team = recordingEmail([{ ok: false, retryable: true, reason: 'smtp 421' }]);
    const hook = taskWebhook();
    const webhookUrl = await hook.url();
    const secret = 'whsec-task-0123456789abcdef';
    try {
      await withHarness(env, [funnel], mail.channel, async (h) => {
        const { contact } = await upsertContact(h.db, { email: 'vera@example.test', name: 'Вера', phone: '+79161234567', consent: { email: true } }, 'test');
        await enroll(h.deps, 'consult', contact.id);
        await eventually(async () => team.sent.length === 1, 'the team is told about the task', 30_000);
        // The team's first refusal retried the activity, and with it the webhook post: the same delivery, signed each time.
        expect(hook.got.length).toBeGreaterThanOrEqual(1);
        const ids = new Set(hook.got.map((g) => g.headers[DELIVERY_HEADER.toLowerCase()]));
        const enrollmentId = (await h.db.selectFrom('enrollments').select('id').where('contact_id', '=', contact.id).executeTakeFirstOrThrow()).id;
        expect([...ids]).toEqual([`${enrollmentId}:callback`]);
        for (const g of hook.got) {
          expect(verifySignature(secret, g.headers[SIGNATURE_HEADER.toLowerCase()] as string, g.raw).ok).toBe(true);
          expect(verifySignature(webhookSigningSecret(undefined, TEST_SECRET_KEY), g.headers[SIGNATURE_HEADER.toLowerCase()] as string, g.raw).ok).toBe(false);
          expect(g.headers['idempotency-key']).toBe(`${enrollmentId}:callback`);
          expect(g.body).toMatchObject({ type: 'staff_task', taskId: 'callback', title: 'Перезвонить в течение 2 часов' });
        }
        const told = team.sent[0]!;
        expect(told).toMatchObject({ to: 'sales@example.test', subject: 'Задача: Перезвонить в течение 2 часов', deliveryId: `task:${enrollmentId}:callback` });
        expect(told.text).toContain('Консультация: Перезвонить в течение 2 часов');
        expect(told.text).toContain('Вера, +79161234567, vera@example.test');
        expect(told.text).toContain('Ольга');
        expect(told.text).toContain(`https://funnels.example.test/dashboard/contacts/${contact.id}`);
        // The wait goes on as before: nobody logged the call, so the else-branch.
        expect(await env.client.workflow.getHandle(`funnel:consult:${contact.id}`).result()).toEqual({ status: 'exited', reason: 'completed' });
        expect(team.sent).toHaveLength(1);
        expect(mail.sent.map((m) => m.subject)).toEqual(['Заявка принята', 'Не дозвонились']);
      }, {
        staffTasks: { webhookUrl, publicUrl: 'https://funnels.example.test' }, webhookSecret: secret,
        team: createTeamNotifier({ publicUrl: 'https://funnels.example.test', email: { channel: team.channel, to: 'sales@example.test', from: 'bot@example.test' } }),
      });
    } finally {
      await hook.close();
    }
  });

  it('hands the task to the team alone when no webhook is configured', async () => {
    const mail = recordingEmail();
    const team = recordingEmail();
    await withHarness(env, [funnel], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'gleb@example.test', name: 'Глеб', consent: { email: true } }, 'test');
      await enroll(h.deps, 'consult', contact.id);
      await eventually(async () => team.sent.length === 1, 'the team is told about the task', 30_000);
      await h.advance(10 * MIN);
      await logTouches({ ...h.deps, engine: h.deps }, [{ contactId: contact.id, funnelId: 'consult', kind: 'call', by: 'Ольга' }], { source: 'api' });
      expect(await env.client.workflow.getHandle(`funnel:consult:${contact.id}`).result()).toEqual({ status: 'exited', reason: 'completed' });
      expect(mail.sent.map((m) => m.subject)).toEqual(['Заявка принята', 'Спасибо за разговор']);
    }, { team: createTeamNotifier({ publicUrl: 'https://funnels.example.test', email: { channel: team.channel, to: 'sales@example.test', from: 'bot@example.test' } }) });
  });
});
