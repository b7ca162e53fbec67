import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan, Step } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { ingestEvent } from '../../src/engine/ingest-event';
import { validateFunnel } from '../../src/dsl/check';
import { email, exit, wait, waitFor } from '../../src/dsl/steps';
import { setAttribute, webhook } from '../../src/dsl/steps-two-way';
import { SIGNATURE_HEADER, verifySignature } from '../../src/handoff/index';

const H = 3_600_000;
const D = 24 * H;
const SECRET = 'whsec-events-0123456789abcdef';

async function startReceiver() {
  const got: Array<{ path: string; body: any; ok: boolean }> = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    got.push({ path: req.url ?? '', body: JSON.parse(raw), ok: verifySignature(SECRET, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, raw).ok });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('funnel-level event subscriptions: on { event: [steps] } at any point (virtual time, loopback receiver)', () => {
  let env: TestWorkflowEnvironment;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx?.close();
    await env?.teardown();
  });

  const plan = (): Plan => ({
    id: 'course', name: 'Курс', entry: null, timezone: 'Europe/Moscow', attributes: ['refunded'], events: ['lead.call_requested', 'order.refunded'],
    goal: { event: 'order.paid', withinMs: 30 * D, exit: false },
    on: {
      'lead.call_requested': [webhook('crm-call', { url: `${rx.base}/hooks/call`, event: 'lead.call_requested' })],
      'order.refunded': [setAttribute('mark-refund', 'refunded', true), webhook('crm-refund', { url: `${rx.base}/hooks/refund` }), exit('refunded')],
    },
    steps: [
      email('day-1', { subject: 'День 1', text: 'Урок 1' }),
      wait('pause', '2d'),
      email('day-3', { subject: 'День 3', text: 'Урок 3' }),
      waitFor('bought', { event: 'order.paid', timeout: '5d', then: [email('thanks', { subject: 'Спасибо', text: '…' })] }),
      email('day-8', { subject: 'День 8', text: 'Урок 8' }),
    ],
  });

  it('npm run check accepts the subscriptions and refuses an unknown event, a message inside one and a clashing id', () => {
    expect(validateFunnel(plan()).problems).toEqual([]);
    const broken: Plan = {
      ...plan(),
      on: { 'order.refundd': [exit('gone')], 'lead.call_requested': [email('day-1', { subject: 'x', text: 'x' }) as Step] },
    };
    expect(validateFunnel(broken).problems.map((p) => `${p.step}: ${p.message}`)).toEqual(expect.arrayContaining([
      "gone: the subscription on 'order.refundd' waits for an event that is not known to this funnel",
      "day-1: a subscription (on 'lead.call_requested') cannot run a email step: it reacts at once, wherever the enrollment is",
      "day-1: step id 'day-1' is used more than once",
    ]));
  });

  it('an event during a wait posts its webhook with the event and the funnel goes on; a refund exits at once', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan: plan(), version: 'course-1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'olga@example.test', name: 'Ольга', consent: { email: true } }, 'api');
      await enroll(h.deps, 'course', contact.id);
      const wf = `funnel:course:${contact.id}`;
      await eventually(() => mail.sent.find((m) => m.subject === 'День 1'), 'day 1');
      await eventually(async () => (await h.deps.gateway.currentStep(wf))?.stepId === 'pause', 'the pause');
      await h.advance(H);
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.call_requested', properties: { phone: '+79160000000' } });
      await eventually(() => rx.got.find((g) => g.path === '/hooks/call'), 'the call webhook during the pause');
      // The same event again does not post again: a subscription fires once per enrollment.
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.call_requested', properties: { phone: '+79160000001' } });
      await h.advance(2 * D);
      await eventually(() => mail.sent.find((m) => m.subject === 'День 3'), 'day 3 on time: the pause went on after the webhook');
      const call = rx.got.filter((g) => g.path === '/hooks/call');
      expect(call).toHaveLength(1);
      expect(call[0]!.ok).toBe(true);
      expect(call[0]!.body).toMatchObject({
        event: 'lead.call_requested', funnel: { id: 'course' }, step: { id: 'crm-call' }, contact: { id: contact.id, name: 'Ольга' },
        triggeredBy: { name: 'lead.call_requested', properties: { phone: '+79160000000' } },
      });

      await eventually(async () => (await h.deps.gateway.currentStep(wf))?.stepId === 'bought', 'waiting for the purchase');
      await ingestEvent(h.deps, { contactId: contact.id, name: 'order.refunded', value: 990 });
      expect(await env.client.workflow.getHandle(wf).result()).toEqual({ status: 'exited', reason: 'exit:refunded' });
      expect(rx.got.filter((g) => g.path === '/hooks/refund').map((g) => g.body.triggeredBy)).toEqual([expect.objectContaining({ name: 'order.refunded', value: 990 })]);
      const row = await h.db.selectFrom('contacts').select('attributes').where('id', '=', contact.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.attributes)).toMatchObject({ refunded: true });
      expect(mail.sent.map((m) => m.subject)).toEqual(['День 1', 'День 3']);
      const hooks = await h.db.selectFrom('deliveries').select(['touch_id', 'channel', 'status']).where('channel', '=', 'webhook').orderBy('touch_id').execute();
      expect(hooks).toEqual([{ touch_id: 'crm-call', channel: 'webhook', status: 'delivered' }, { touch_id: 'crm-refund', channel: 'webhook', status: 'delivered' }]);
      await recordHistory(env, wf);
    }, { webhookSecret: SECRET });
  });
});
