import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import type { SendResult } from '../../src/channels/channel';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { dispatchEvent, ingestEvent } from '../../src/engine/ingest-event';
import { enrollmentWorkflowId } from '../../src/temporal/gateway';
import { pickWeighted } from '../../workflows/hash';
import { storeFunnelVersions } from '../../src/db/funnels';
import { recordHistory } from '../helpers/histories';

const H = 3_600_000;
const D = 24 * H;
const base = { entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, attributes: [], events: ['quiz.answered'] };

describe('enrollmentWorkflow durability', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  async function run(plan: Plan, opts: { script?: SendResult[] } = {}) {
    const mail = recordingEmail(opts.script);
    return await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: `x${Math.random()}@example.test`, externalId: `ext-${Math.random()}`, consent: { email: true } }, 'test');
      await enroll(h.deps, plan.id, contact.id);
      const handle = env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id));
      const result = await handle.result();
      await recordHistory(env, handle.workflowId);
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'status', 'reason', 'attempts']).orderBy('scheduled_at').execute();
      return { result, rows, mail, contactId: contact.id };
    });
  }

  it('retries a temporary SMTP failure and sends exactly once', async () => {
    const plan: Plan = { ...base, id: 'retry', name: 'Retry', steps: [{ type: 'email', id: 'only', subject: 'Hi', text: 'x' }] };
    const { rows, mail } = await run(plan, { script: [{ ok: false, retryable: true, reason: '451 try later' }, { ok: false, retryable: true, reason: '421 busy' }] });
    expect(mail.sent.map((m) => m.subject)).toEqual(['Hi']);
    expect(rows).toEqual([{ touch_id: 'only', status: 'delivered', reason: null, attempts: 3 }]);
  });

  it('records a permanent failure without retrying and goes on with the funnel', async () => {
    const plan: Plan = { ...base, id: 'perm', name: 'Perm', steps: [
      { type: 'email', id: 'first', subject: 'One', text: 'x' },
      { type: 'branch', id: 'ok', if: { kind: 'touch', touchId: 'first', status: 'failed' }, then: [{ type: 'email', id: 'after-fail', subject: 'Two', text: 'y' }], else: [] },
    ] };
    const { rows, mail } = await run(plan, { script: [{ ok: false, retryable: false, reason: '550 no such user' }] });
    expect(rows).toEqual([
      { touch_id: 'first', status: 'failed', reason: '550 no such user', attempts: 1 },
      { touch_id: 'after-fail', status: 'delivered', reason: null, attempts: 1 },
    ]);
    expect(mail.sent.map((m) => m.subject)).toEqual(['Two']);
  });

  it('skips a touch for a contact without an email address, with the reason on the ledger', async () => {
    const plan: Plan = { ...base, id: 'noaddr', name: 'No address', steps: [{ type: 'email', id: 'only', subject: 'Hi', text: 'x' }] };
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { phone: '+79161234567' }, 'test');
      await enroll(h.deps, plan.id, contact.id);
      await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id)).result();
      const rows = await h.db.selectFrom('deliveries').select(['status', 'reason']).execute();
      expect(rows).toEqual([{ status: 'skipped', reason: 'no_address' }]);
      expect(mail.sent).toEqual([]);
    });
  });

  it('keeps buffered events and its place in the plan across continue-as-new', async () => {
    const steps: Plan['steps'] = [];
    for (let i = 0; i < 6; i++) steps.push({ type: 'wait', id: `w${i}`, ms: H });
    steps.push({ type: 'waitFor', id: 'quiz', events: [{ name: 'quiz.answered', where: { answer: 'b' } }], timeoutMs: D,
      then: [{ type: 'email', id: 'right', subject: 'Верно', text: 'x' }], else: [{ type: 'email', id: 'timeout', subject: 'Нет ответа', text: 'x' }] });
    const plan: Plan = { ...base, id: 'can', name: 'CAN', steps };
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'can@example.test', consent: { email: true } }, 'test');
      const workflowId = enrollmentWorkflowId(plan.id, contact.id);
      const en = await h.db.insertInto('enrollments').values({
        id: 'en_can', funnel_id: plan.id, contact_id: contact.id, version: 'v1', workflow_id: workflowId, status: 'active',
        current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: h.deps.now(), finished_at: null, converted_at: null,
      }).returningAll().executeTakeFirstOrThrow();
      const started = await env.client.workflow.start('enrollmentWorkflow', {
        workflowId, taskQueue: h.taskQueue,
        args: [{ enrollmentId: en.id, funnelId: plan.id, contactId: contact.id, version: 'v1', plan, enrolledAt: en.enrolled_at, trigger: null, continueAsNewAfter: 12 }],
      });
      // Both answers arrive early, while the run is still in its first waits: the wrong one must not match, the right one must survive.
      await ingestEvent(h.deps, { contactId: contact.id, name: 'quiz.answered', properties: { answer: 'a' } });
      await ingestEvent(h.deps, { contactId: contact.id, name: 'quiz.answered', properties: { answer: 'b' } });
      const handle = env.client.workflow.getHandle(workflowId);
      expect(await handle.result()).toEqual({ status: 'exited', reason: 'completed' });
      await recordHistory(env, workflowId, 'after continue-as-new');
      expect((await handle.describe()).runId).not.toBe(started.firstExecutionRunId); // it did continue as new
      expect(mail.sent.map((m) => m.subject)).toEqual(['Верно']);
    });
  });

  it('assigns split variants deterministically per contact, roughly by weight', async () => {
    const plan: Plan = { ...base, id: 'ab', name: 'AB', steps: [
      { type: 'split', id: 'subject', variants: [
        { id: 'a', weight: 1, steps: [{ type: 'email', id: 'offer-a', subject: 'A', text: 'a' }] },
        { id: 'b', weight: 3, steps: [{ type: 'email', id: 'offer-b', subject: 'B', text: 'b' }] },
      ] },
    ] };
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const ids: string[] = [];
      for (let i = 0; i < 24; i++) {
        const { contact } = await upsertContact(h.db, { externalId: `split-${i}`, email: `s${i}@example.test`, consent: { email: true } }, 'test');
        ids.push(contact.id);
        await enroll(h.deps, plan.id, contact.id);
      }
      for (const id of ids) await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, id)).result();
      await recordHistory(env, enrollmentWorkflowId(plan.id, ids[0]!));
      const rows = await h.db.selectFrom('deliveries').select(['contact_id', 'touch_id']).execute();
      expect(rows).toHaveLength(24);
      const variants = plan.steps[0]!.type === 'split' ? plan.steps[0]!.variants : [];
      for (const r of rows) expect(r.touch_id).toBe(`offer-${pickWeighted(`${r.contact_id}:subject`, variants).id}`);
      const b = rows.filter((r) => r.touch_id === 'offer-b').length;
      expect(b).toBeGreaterThan(12);
      expect(b).toBeLessThan(24);
    });
  });

  it('keeps an enrollment on the version it started on when the funnel file changes', async () => {
    const v1: Plan = { ...base, id: 'pinned', name: 'Pinned', steps: [
      { type: 'email', id: 'one', subject: 'v1 first', text: 'x' },
      { type: 'wait', id: 'pause', ms: D },
      { type: 'email', id: 'two', subject: 'v1 second', text: 'x' },
    ] };
    const v2: Plan = { ...v1, steps: [{ type: 'email', id: 'one', subject: 'v2 first', text: 'x' }, { type: 'wait', id: 'pause', ms: D }, { type: 'email', id: 'two', subject: 'v2 second', text: 'x' }] };
    const mail = recordingEmail();
    await withHarness(env, [{ plan: v1, version: 'v1' }], mail.channel, async (h) => {
      const { contact: early } = await upsertContact(h.db, { email: 'early@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, 'pinned', early.id);
      await h.advance(H);
      await storeFunnelVersions(h.db, [{ plan: v2, version: 'v2' }]);
      h.deps.funnels.replace([{ plan: v2, version: 'v2' }]);
      const { contact: late } = await upsertContact(h.db, { email: 'late@example.test', consent: { email: true } }, 'test');
      const { enrollment } = await enroll(h.deps, 'pinned', late.id);
      expect(enrollment.version).toBe('v2');
      for (const c of [early, late]) await env.client.workflow.getHandle(enrollmentWorkflowId('pinned', c.id)).result();
      expect(mail.sent.map((m) => `${m.to} ${m.subject}`)).toEqual([
        'early@example.test v1 first', 'late@example.test v2 first', 'early@example.test v1 second', 'late@example.test v2 second',
      ]);
    });
  });

  it('counts an event signalled twice (a re-dispatch) only once', async () => {
    const plan: Plan = { ...base, id: 'dedupe', name: 'Dedupe', steps: [
      { type: 'waitFor', id: 'first', events: [{ name: 'quiz.answered' }], timeoutMs: H, then: [{ type: 'email', id: 'got-1', subject: '1', text: 'x' }], else: [] },
      { type: 'waitFor', id: 'second', events: [{ name: 'quiz.answered' }], timeoutMs: H, then: [{ type: 'email', id: 'got-2', subject: '2', text: 'x' }], else: [{ type: 'email', id: 'none-2', subject: 'none', text: 'x' }] },
    ] };
    const mail = recordingEmail();
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'dup@example.test', consent: { email: true } }, 'test');
      await enroll(h.deps, plan.id, contact.id);
      const { id } = await ingestEvent(h.deps, { contactId: contact.id, name: 'quiz.answered' });
      const row = await h.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      await dispatchEvent(h.deps, row); // the sweep redoing a dispatch that had already reached the workflow
      await env.client.workflow.getHandle(enrollmentWorkflowId(plan.id, contact.id)).result();
      expect(mail.sent.map((m) => m.subject)).toEqual(['1', 'none']);
    });
  });
});
