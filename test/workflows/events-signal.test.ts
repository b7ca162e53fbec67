import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';

const D = 86_400_000;

const plan: Plan = {
  id: 'clicks', name: 'Clicks', entry: null, timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
  attributes: [], events: [],
  steps: [
    { type: 'email', id: 'hello', subject: 'Привет', text: 'ok' },
    { type: 'waitFor', id: 'click', events: [{ name: 'hello.clicked' }], timeoutMs: 2 * D,
      then: [{ type: 'email', id: 'thanks', subject: 'Спасибо', text: 'ok' }],
      else: [{ type: 'email', id: 'nudge', subject: 'Напоминание', text: 'ok' }] },
    { type: 'waitFor', id: 'second', events: [{ name: 'hello.clicked' }], timeoutMs: 1 * D,
      then: [{ type: 'email', id: 'again', subject: 'Ещё клик', text: 'ok' }],
      else: [{ type: 'email', id: 'once', subject: 'Один клик', text: 'ok' }] },
  ],
};

describe('enrollmentWorkflow events signal', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('takes several events in one signal, in order, and absorbs a repeated event once', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'ivan@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, 'clicks', contact.id);
      const workflowId = `funnel:clicks:${contact.id}`;
      const at = h.deps.now();
      const click = { id: 'ev_click', name: 'hello.clicked', properties: {}, value: null, occurredAt: at };
      await h.deps.gateway.signalMany!(workflowId, [
        { id: 'ev_view', name: 'page.viewed', properties: {}, value: null, occurredAt: at }, click, click,
      ]);
      expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ status: 'exited', reason: 'completed' });
      const rows = await h.db.selectFrom('deliveries').select('touch_id').orderBy('scheduled_at').execute();
      // The one click answers the first wait; its repeat is the same event, so the second wait times out.
      expect(rows.map((r) => r.touch_id)).toEqual(['hello', 'thanks', 'once']);
      await recordHistory(env, workflowId);
    });
  });
});
