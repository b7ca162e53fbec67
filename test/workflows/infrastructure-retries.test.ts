import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import type { EmailChannel } from '../../src/channels/channel';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { dropFailingInserts, failInserts } from '../helpers/db-tools';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { enrollmentWorkflowId } from '../../src/temporal/gateway';

const D = 24 * 3_600_000;
const base = { entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, attributes: [], events: [] };
const plan = (id: string, html: string): Plan => ({ ...base, id, name: id, steps: [{ type: 'email', id: 'hello', subject: 'Привет', html }] });

describe('sendTouch under infrastructure failures (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  /** Per sendTouch activity, the attempt it completed on (Temporal records the last attempt's start only). */
  async function sendAttempts(workflowId: string): Promise<number[]> {
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const sends = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendTouch').map((e) => String(e.eventId)));
    return events.flatMap((e) => {
      const started = e.activityTaskStartedEventAttributes;
      return started && sends.has(String(started.scheduledEventId)) ? [started.attempt ?? 0] : [];
    });
  }

  it('retries a channel that throws (a bug, not a verdict) and then sends the touch once', async () => {
    const mail = recordingEmail();
    let calls = 0;
    const flaky: EmailChannel = {
      name: 'flaky',
      async send(message, ctx) {
        calls += 1;
        if (calls === 1) throw new TypeError("Cannot read properties of undefined (reading 'write')");
        return mail.channel.send(message, ctx);
      },
    };
    const p = plan('channel-bug', '<p>Здравствуйте</p>');
    await withHarness(env, [{ plan: p, version: 'v1' }], flaky, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'bug@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, p.id, contact.id);
      const workflowId = enrollmentWorkflowId(p.id, contact.id);
      await env.client.workflow.getHandle(workflowId).result();
      expect(mail.sent.map((m) => `${m.to} ${m.subject}`)).toEqual(['bug@example.test Привет']);
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'status', 'reason', 'attempts']).execute();
      expect(rows).toEqual([{ touch_id: 'hello', status: 'delivered', reason: null, attempts: 2 }]);
      expect(await sendAttempts(workflowId)).toEqual([2]); // one sendTouch, completed on its second attempt
    });
  });

  it('retries a database error while preparing the message and then sends the touch once', async () => {
    const mail = recordingEmail();
    const p = plan('db-error', '<p><a href="https://school.example.test/lesson-1">Урок 1</a></p>');
    await withHarness(env, [{ plan: p, version: 'v1' }], mail.channel, async (h) => {
      // A real database error from inside the send: storing the tracked link fails until the trigger is gone.
      await failInserts(h.db, 'links', 'disk I/O error');
      const { contact } = await upsertContact(h.db, { email: 'db@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, p.id, contact.id);
      const workflowId = enrollmentWorkflowId(p.id, contact.id);
      const handle = env.client.workflow.getHandle(workflowId);
      const failure = await eventually(async () => {
        const pending = (await handle.describe()).raw.pendingActivities?.[0];
        return pending?.lastFailure?.message ?? undefined;
      }, 'the first attempt to fail', 20_000, 100);
      expect(failure).toContain('disk I/O error');
      expect((await h.db.selectFrom('deliveries').select('status').executeTakeFirstOrThrow()).status).toBe('pending');
      await dropFailingInserts(h.db, 'links');
      await handle.result();
      expect(mail.sent.map((m) => m.to)).toEqual(['db@example.test']);
      expect(mail.sent[0]!.html).toMatch(/\/t\/c\/lk_/);
      const rows = await h.db.selectFrom('deliveries').select(['status', 'reason', 'attempts']).execute();
      expect(rows).toEqual([{ status: 'delivered', reason: null, attempts: 1 }]);
      expect(await sendAttempts(workflowId)).toEqual([2]); // one sendTouch, completed on its second attempt
    });
  });

  it('records a template the marketer must fix as failed, without a retry', async () => {
    const mail = recordingEmail();
    const p = plan('bad-template', '<p>{% if contact.name %}Здравствуйте, {{ contact.name }}</p>');
    await withHarness(env, [{ plan: p, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'tpl@example.test', name: 'Анна', consent: { email: true } }, 'test');
      await enroll(h.deps, p.id, contact.id);
      const workflowId = enrollmentWorkflowId(p.id, contact.id);
      await env.client.workflow.getHandle(workflowId).result();
      expect(mail.sent).toEqual([]);
      const row = await h.db.selectFrom('deliveries').select(['status', 'reason', 'attempts']).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(/^template: tag \{% if contact\.name %\} not closed/);
      expect(row.attempts).toBe(0);
      expect(await sendAttempts(workflowId)).toEqual([1]); // one sendTouch, done on its first attempt
    });
  });
});
