import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_PUBLIC_URL, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email } from '../../src/dsl/steps';
import { notify, setAttribute, tag, webhook } from '../../src/dsl/steps-two-way';
import { validateFunnel } from '../../src/dsl/check';
import { createTeamNotifier } from '../../src/handoff/team-notify';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifySignature } from '../../src/handoff/index';
import { recordHistory } from '../helpers/histories';

const D = 86_400_000;
const SECRET = 'whsec-test-0123456789abcdef';

/** A CRM on loopback: verifies each post as the README says, answers the scripted statuses (then 200; 404 under /gone). */
async function startReceiver() {
  const got: Array<{ path: string; raw: string; headers: IncomingMessage['headers']; ok: boolean }> = [];
  const answers: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const ok = verifySignature(SECRET, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, raw).ok;
    got.push({ path: req.url ?? '', raw, headers: req.headers, ok });
    res.writeHead(req.url?.startsWith('/gone') ? 404 : answers.shift() ?? (ok ? 200 : 401)).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, answers,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('webhook(), notify(), setAttribute() and tag() steps (virtual time, loopback receiver)', () => {
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

  const plan = (): VersionedPlan => ({
    version: 'handoff-1',
    plan: {
      id: 'call-me', name: 'Позвоните мне', entry: null, timezone: 'Europe/Moscow', attributes: ['vip', 'segment'], events: [],
      goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
      steps: [
        tag('mark-vip', 'vip'),
        setAttribute('mark-segment', 'segment', 'warm'),
        webhook('crm', { url: `${rx.base}/hooks/crm`, event: 'lead.call_requested', data: { priority: 'high' } }),
        notify('team', { subject: 'Новый лид', text: '{{ contact.name }} нажала «Позвоните мне»' }),
        webhook('crm-gone', { url: `${rx.base}/gone` }),
        email('after', { subject: 'Мы позвоним', text: 'Скоро позвоним' }),
      ],
    },
  });

  it('passes npm run check, and check refuses an undeclared attribute', () => {
    expect(validateFunnel(plan().plan).problems).toEqual([]);
    const broken = { ...plan().plan, attributes: ['vip'] };
    expect(validateFunnel(broken).problems.map((p) => `${p.step}: ${p.message}`)).toEqual(["mark-segment: writes attribute 'segment', which is not declared"]);
  });

  it('a webhook step is signed, retried after a 500 and recorded; notify reaches the team with the card link; attributes are written', async () => {
    rx.answers.push(500);
    const mail = recordingEmail();
    const team = createTeamNotifier({ publicUrl: TEST_PUBLIC_URL, email: { channel: mail.channel, to: 'sales@example.test', from: 'bot@example.test' } });
    await withHarness(env, [plan()], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'anna@example.test', name: 'Анна', phone: '+79161234567', consent: { email: true } }, 'api');
      await enroll(h.deps, 'call-me', contact.id);
      await eventually(async () => (await h.db.selectFrom('enrollments').select('status').executeTakeFirst())?.status !== 'active', 'the enrollment ends', 60_000);

      const crm = rx.got.filter((g) => g.path === '/hooks/crm');
      expect(crm).toHaveLength(2);
      expect(crm.every((g) => g.ok)).toBe(true);
      expect(new Set(crm.map((g) => g.headers[DELIVERY_HEADER.toLowerCase()])).size).toBe(1);
      const body = JSON.parse(crm[1]!.raw);
      expect(body).toMatchObject({
        event: 'lead.call_requested', funnel: { id: 'call-me', version: 'handoff-1' }, step: { id: 'crm' }, data: { priority: 'high' },
        contact: { id: contact.id, name: 'Анна', phone: '+79161234567', attributes: { vip: true, segment: 'warm' } },
      });
      expect(body.contact.card).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/.*${contact.id}`));

      const ledger = await h.db.selectFrom('deliveries').select(['touch_id', 'channel', 'status', 'provider_message_id', 'reason']).orderBy('scheduled_at').orderBy('touch_id').execute();
      expect(ledger).toEqual([
        { touch_id: 'crm', channel: 'webhook', status: 'delivered', provider_message_id: 'http:200', reason: null },
        { touch_id: 'crm-gone', channel: 'webhook', status: 'failed', provider_message_id: null, reason: 'HTTP 404' },
        { touch_id: 'after', channel: 'email', status: 'delivered', provider_message_id: expect.any(String), reason: null },
      ]);
      const toTeam = mail.sent.filter((m) => m.to === 'sales@example.test');
      expect(toTeam).toHaveLength(1);
      expect(toTeam[0]!.subject).toBe('Новый лид');
      expect(toTeam[0]!.text).toContain('Анна нажала «Позвоните мне»');
      expect(toTeam[0]!.text).toContain(`${TEST_PUBLIC_URL}/`);
      expect(toTeam[0]!.text).toContain(contact.id);
      const row = await h.db.selectFrom('contacts').select('attributes').where('id', '=', contact.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.attributes)).toMatchObject({ vip: true, segment: 'warm' });
      const wf = `funnel:call-me:${contact.id}`;
      await env.client.workflow.getHandle(wf).result();
      await recordHistory(env, wf);
    }, { team, webhookSecret: SECRET });
  });
});
