import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Plan } from '../../src/dsl/plan';
import { createSmtpChannel } from '../../src/channels/email/smtp';
import { createServerApp } from '../../src/runtime/server-app';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { createHarness, TEST_PUBLIC_URL, TEST_SECRET_KEY, type Harness } from '../helpers/harness';
import { startSmtpSink } from '../helpers/smtp-sink';
import { serveApp, type ServedApp } from '../helpers/serve-app';
import { eventually } from '../helpers/ports';
import { tableNames } from '../helpers/db-tools';

const D = 86_400_000;
const TOKEN = 'erasure-token-0123456789';
const EMAIL = 'anna.petrova@example.test';
const PHONE = '+79161234567';
const IP = '203.0.113.77';
const UA = 'Mozilla/5.0 (Anna’s laptop)';

const base = { timezone: 'UTC', attributes: ['city'], events: ['order.paid'] };
const rights: Plan = {
  ...base, id: 'rights', name: 'Rights', entry: 'signed_up',
  goal: { event: 'order.paid', withinMs: 30 * D, exit: false },
  steps: [
    { type: 'email', id: 'hello', subject: 'Привет, {{ contact.firstName }}', text: 'Ваш кабинет: https://school.example/cabinet?email={{ contact.email }}' },
    { type: 'wait', id: 'pause', ms: 2 * D },
    { type: 'email', id: 'nudge', subject: 'Ещё раз', text: 'ok' },
  ],
};
const welcomeBack: Plan = {
  ...base, id: 'welcome-back', name: 'Welcome back', entry: null,
  goal: { event: 'order.paid', withinMs: D, exit: true },
  steps: [{ type: 'email', id: 'back', subject: 'С возвращением', text: 'Рады снова видеть' }],
};

// Export and erasure end to end: the served app over a loopback port, the real worker on the time-skipping test
// server, real SMTP on loopback. After the erasure nothing personal is left in any table, the stats keep their
// numbers, and the same address imported again is not messaged until the person consents anew.
describe('a customer\'s rights over their data (export, erasure)', () => {
  let env: TestWorkflowEnvironment;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let h: Harness;
  let served: ServedApp;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    smtp = await startSmtpSink();
    h = await createHarness(env, [{ plan: rights, version: 'r1' }, { plan: welcomeBack, version: 'w1' }], createSmtpChannel(smtp.url));
    served = await serveApp(createServerApp(h.deps, {
      apiToken: TOKEN, secretKey: TEST_SECRET_KEY, adminPassword: 'erasure-admin', publicUrl: TEST_PUBLIC_URL, trustProxy: false, outboxChannels: [],
    }));
  });
  afterAll(async () => {
    await served?.close();
    await h?.close();
    await smtp?.close();
    await env?.teardown();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${served.url}${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address.toLowerCase()));
  const helloStats = async () => ((await api('GET', '/api/funnels/rights/stats')).body as { enrolled: number; touches: Array<Record<string, number | string>> });
  /** Every row of every table of ours, as one string. */
  const everything = async () => {
    let out = '';
    for (const name of await tableNames(h.db)) out += JSON.stringify((await sql`select * from ${sql.table(name)}`.execute(h.db)).rows);
    return out;
  };

  it('exports everything, erases it, keeps the numbers, and does not message the address again without new consent', async () => {
    await h.worker.runUntil(async () => {
      const created = await api('POST', '/api/contacts', {
        email: EMAIL, phone: PHONE, name: 'Анна Петрова', externalId: 'crm-anna-1', timezone: 'Europe/Moscow', attributes: { city: 'Калининград' },
        consent: { email: true, sms: true }, consentProof: { wording: 'Согласна на письма', ip: IP, userAgent: UA, source: 'landing' },
      });
      expect(created.status).toBe(201);
      const anna: string = created.body.id;
      expect((await api('POST', '/api/events', { contactId: anna, name: 'signed_up', properties: { email: EMAIL, phone: PHONE }, idempotencyKey: `signup-${EMAIL}` })).status).toBe(202);
      await eventually(() => mailsTo(EMAIL).length === 1, 'the first touch at the SMTP peer');
      expect(mailsTo(EMAIL)[0]!.subject).toBe('Привет, Анна');
      await eventually(async () => (await h.db.selectFrom('deliveries').select('status').where('contact_id', '=', anna).where('touch_id', '=', 'hello').executeTakeFirst())?.status === 'delivered', 'the ledger row');
      const statsBefore = await helloStats();
      expect(statsBefore.touches.find((t) => t.touchId === 'hello')).toMatchObject({ sent: 1 });

      // Export: the profile, the consents with their proof, the enrollment, the ledger, the events, the links.
      const exported = await api('GET', `/api/contacts/${anna}/export`);
      expect(exported.status).toBe(200);
      const x = exported.body;
      expect(x.contact).toMatchObject({ id: anna, email: EMAIL, phone: PHONE, name: 'Анна Петрова', externalId: 'crm-anna-1', attributes: { city: 'Калининград' } });
      expect(x.consents.history).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'email', granted: true, source: 'api:landing', ip: IP, userAgent: UA, wording: 'Согласна на письма' })]));
      expect(x.enrollments).toEqual([expect.objectContaining({ funnelId: 'rights', status: 'active', workflowId: `funnel:rights:${anna}` })]);
      expect(x.deliveries).toEqual([expect.objectContaining({ touchId: 'hello', channel: 'email', recipient: EMAIL, subject: 'Привет, Анна', status: 'delivered' })]);
      expect(x.events).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'signed_up', properties: { email: EMAIL, phone: PHONE } })]));
      expect(x.links.some((l: { url: string }) => l.url.includes(encodeURIComponent(EMAIL)) || l.url.includes(EMAIL))).toBe(true);
      for (const key of ['pageVisits', 'touchLog', 'webinarSessions', 'outbox', 'conversions', 'splitAssignments', 'suppressions']) expect(Array.isArray(x[key]), key).toBe(true);

      // Erasure: 204, the workflow ends, nothing personal is left anywhere, the numbers stay.
      expect((await api('DELETE', `/api/contacts/${anna}`)).status).toBe(204);
      const described = await env.client.workflow.getHandle(`funnel:rights:${anna}`).describe().catch((err: unknown) => err);
      if (!(described instanceof WorkflowNotFoundError)) expect((described as { status: { name: string } }).status.name).toBe('TERMINATED');
      expect((await api('GET', `/api/contacts/${anna}`)).status).toBe(404);
      expect((await api('GET', `/api/contacts/${anna}/export`)).status).toBe(404);
      expect((await api('DELETE', `/api/contacts/${anna}`)).status).toBe(404);
      expect((await api('POST', '/api/events', { contactId: anna, name: 'order.paid' })).status).toBe(404);
      const all = await everything();
      for (const secret of [EMAIL, encodeURIComponent(EMAIL), PHONE, 'Анна', 'Калининград', 'crm-anna-1', IP, UA, 'Europe/Moscow']) expect(all, secret).not.toContain(secret);
      expect(await h.db.selectFrom('enrollments').select(['status', 'exit_reason']).where('contact_id', '=', anna).execute()).toEqual([{ status: 'exited', exit_reason: 'erased' }]);
      const statsAfter = await helloStats();
      expect(statsAfter.enrolled).toBe(statsBefore.enrolled);
      expect(statsAfter.touches).toEqual(statsBefore.touches);

      // The same address comes back in an import, consent flag and all: it is not messaged.
      const again = await api('POST', '/api/contacts', { email: EMAIL.toUpperCase(), phone: PHONE, consent: { email: true, sms: true } });
      expect(again.status).toBe(201);
      const back: string = again.body.id;
      expect(back).not.toBe(anna);
      expect((await api('POST', '/api/events', { contactId: back, name: 'signed_up' })).status).toBe(202);
      await eventually(async () => (await h.db.selectFrom('deliveries').select(['status', 'reason']).where('contact_id', '=', back).where('touch_id', '=', 'hello').executeTakeFirst())?.status === 'skipped', 'the skipped touch');
      // Both its channels are suppressed for good (erased hashes), so the enrollment leaves at once (unreachable), saying why.
      expect(await h.db.selectFrom('deliveries').select(['status', 'reason']).where('contact_id', '=', back).execute()).toEqual([{ status: 'skipped', reason: 'unreachable' }]);
      expect(await h.db.selectFrom('touch_log').select(['kind', 'reason']).where('contact_id', '=', back).execute()).toContainEqual({ kind: 'skipped', reason: 'unreachable: email: suppressed:erased, sms: suppressed:erased' });
      expect(mailsTo(EMAIL)).toHaveLength(1);

      // New consent, given by the person (the consent endpoint): messages go out again.
      expect((await api('POST', `/api/contacts/${back}/consents`, { channel: 'email', granted: true, source: 'double-opt-in', wording: 'Да, пишите мне снова' })).status).toBe(201);
      expect((await api('POST', '/api/funnels/welcome-back/enrollments', { contactId: back })).status).toBe(201);
      await eventually(() => mailsTo(EMAIL).some((m) => m.subject === 'С возвращением'), 'the touch after the new consent');
    });
  });
});
