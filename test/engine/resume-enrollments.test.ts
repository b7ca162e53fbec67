import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import type { Harness } from '../helpers/harness';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { startMissingWorkflows } from '../../src/engine/resume-enrollments';
import { enrollmentWorkflowId } from '../../src/temporal/gateway';

const D = 86_400_000;
const plan: Plan = {
  id: 'resume', name: 'Resume', entry: null, timezone: 'Europe/Moscow', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, steps: [{ type: 'email', id: 'hello', subject: 'Здравствуйте', text: 'x' }],
};

describe('engine/resume-enrollments', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  /** An active enrollment row as a process that died right after writing it left it: no workflow was started. */
  async function orphan(h: Harness, contactId: string, id: string) {
    await h.db.insertInto('enrollments').values({
      id, funnel_id: plan.id, contact_id: contactId, version: 'v1', workflow_id: enrollmentWorkflowId(plan.id, contactId), status: 'active',
      current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: h.deps.now() - 120_000, finished_at: null, converted_at: null,
      workflow_started_at: null,
    }).execute();
  }

  it('starts the workflow of an enrollment a crash left without one, once', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'orphan@example.test', consent: { email: true } }, 'test');
      await orphan(h, contact.id, 'en_orphan');
      expect(await startMissingWorkflows(h.deps, 60_000)).toBe(1);
      expect(await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id)).result()).toEqual({ status: 'exited', reason: 'completed' });
      expect(await startMissingWorkflows(h.deps)).toBe(0);
      expect(mail.sent.map((m) => `${m.to} ${m.subject}`)).toEqual(['orphan@example.test Здравствуйте']);
      const row = await h.db.selectFrom('enrollments').selectAll().where('id', '=', 'en_orphan').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'exited', workflow_started_at: expect.any(Number) });
    });
  });

  it('leaves a row younger than the grace to the enroll call that is still starting it', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'young@example.test', consent: { email: true } }, 'test');
      await orphan(h, contact.id, 'en_young');
      await h.db.updateTable('enrollments').set({ enrolled_at: h.deps.now() }).where('id', '=', 'en_young').execute();
      expect(await startMissingWorkflows(h.deps, 60_000)).toBe(0);
      expect(await h.deps.gateway.latestRun(enrollmentWorkflowId(plan.id, contact.id))).toBeNull();
    });
  });

  it('only marks an enrollment whose workflow Temporal already has (running, or closed after it was written)', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'known@example.test', consent: { email: true } }, 'test');
      const { enrollment } = await enroll(h.deps, plan.id, contact.id);
      const handle = env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id));
      await handle.result();
      // As a row from before the mark existed, still active (its finish not recorded): the closed run is its own.
      await h.db.updateTable('enrollments').set({ workflow_started_at: null, status: 'active', enrolled_at: h.deps.now() - 120_000 })
        .where('id', '=', enrollment.enrollmentId).execute();
      expect(await startMissingWorkflows(h.deps)).toBe(0);
      expect(mail.sent).toHaveLength(1);
      expect((await h.db.selectFrom('enrollments').select('workflow_started_at').executeTakeFirstOrThrow()).workflow_started_at).not.toBeNull();
    });
  });

  it('starts a re-enrollment whose only run under the same id closed before the row was written', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'again@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, plan.id, contact.id);
      await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id)).result();
      await h.advance(D);
      await h.db.insertInto('enrollments').values({
        id: 'en_again', funnel_id: plan.id, contact_id: contact.id, version: 'v1', workflow_id: enrollmentWorkflowId(plan.id, contact.id),
        status: 'active', enrolled_at: h.deps.now() - 120_000, workflow_started_at: null,
      }).execute();
      expect(await startMissingWorkflows(h.deps)).toBe(1);
      await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id)).result();
      expect(mail.sent.map((m) => m.to)).toEqual(['again@example.test', 'again@example.test']);
      const rows = await h.db.selectFrom('deliveries').select(['enrollment_id', 'status']).orderBy('created_at').execute();
      expect(rows.map((r) => r.enrollment_id).at(-1)).toBe('en_again');
    });
  });
});
