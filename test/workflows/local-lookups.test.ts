import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordHistory } from '../helpers/histories';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';

const H = 3_600_000;
const D = 24 * H;

// A drip at 10:00 in the contact's zone with a branch on an attribute: the two short reads of the plan.
const plan: Plan = {
  id: 'morning', name: 'Morning drip', entry: null, timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
  attributes: ['plan'], events: [],
  steps: [
    { type: 'waitUntil', id: 'ten', time: '10:00' },
    { type: 'email', id: 'morning', subject: 'Доброе утро', text: 'ok' },
    { type: 'branch', id: 'pro', if: { kind: 'attribute', key: 'plan', op: 'eq', value: 'pro' },
      then: [{ type: 'email', id: 'pro-offer', subject: 'Pro', text: 'pro' }],
      else: [{ type: 'email', id: 'basic-offer', subject: 'Basic', text: 'basic' }] },
  ],
};

describe('enrollmentWorkflow short reads', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('reads the contact\'s local time and attributes in the worker (local activities), not through the Temporal server', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'anna@example.test', timezone: 'Asia/Kamchatka', attributes: { plan: 'pro' }, consent: { email: true } }, 'test');
      const t0 = h.deps.now();
      await enroll(h.deps, 'morning', contact.id);
      const workflowId = `funnel:morning:${contact.id}`;
      expect(await env.client.workflow.getHandle(workflowId).result()).toEqual({ status: 'exited', reason: 'completed' });
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'scheduled_at']).orderBy('scheduled_at').execute();
      expect(rows.map((r) => r.touch_id)).toEqual(['morning', 'pro-offer']);
      const sentAt = rows[0]!.scheduled_at;
      // 10:00 in Kamchatka (UTC+12) is 22:00 UTC: the next one after the start, within a day.
      expect(new Date(sentAt).toISOString().slice(11, 16)).toBe('22:00');
      expect(sentAt - t0).toBeLessThanOrEqual(D);

      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      expect(scheduled).toEqual(['sendTouch', 'sendTouch', 'finishEnrollment']);
      // Each local activity leaves a marker naming its type: the two reads, and where the enrollment rested (note-step).
      const local = (history.events ?? []).flatMap((e) => {
        const m = e.markerRecordedEventAttributes;
        if (m?.markerName !== 'core_local_activity') return [];
        const data = m.details?.data?.payloads?.[0]?.data;
        return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type ?? '?'] : ['?'];
      });
      expect(local.sort()).toEqual(['contactFacts', 'localDelay', 'noteStep']);
      await recordHistory(env, workflowId);
    });
  });
});
