import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../src/dsl/plan';
import type { Harness } from '../helpers/harness';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { upsertContact } from '../../src/db/contacts';
import { ingestEvent } from '../../src/engine/ingest-event';
import { enrollmentWorkflowId } from '../../src/temporal/gateway';

const D = 86_400_000;
const H = 3_600_000;

/** A post-purchase chain: thanks at once, a review request three days later; a review is the goal. */
const postPurchase: Plan = {
  id: 'post-purchase', name: 'После покупки', entry: 'order.paid', timezone: 'Europe/Moscow', attributes: [], events: [],
  goal: { event: 'review.left', withinMs: 30 * D, exit: true },
  steps: [
    { type: 'email', id: 'thanks', subject: 'Спасибо за заказ {{ event.properties.orderId }}', text: 'x' },
    { type: 'wait', id: 'pause', ms: 3 * D },
    { type: 'email', id: 'review', subject: 'Оставьте отзыв', text: 'x' },
  ],
  reentry: { key: 'orderId' },
};

/** A one-email welcome whose re-entry rule each test sets. */
function welcome(reentry: Plan['reentry']): Plan {
  return {
    id: 'welcome', name: 'Welcome', entry: 'lead.created', timezone: 'Europe/Moscow', attributes: [], events: [],
    goal: { event: 'order.paid', withinMs: 7 * D, exit: true }, steps: [{ type: 'email', id: 'hello', subject: 'Здравствуйте', text: 'x' }],
    ...(reentry !== undefined && { reentry }),
  };
}

async function rows(h: Harness, funnelId: string) {
  return h.db.selectFrom('enrollments').selectAll().where('funnel_id', '=', funnelId).orderBy('enrolled_at').orderBy('id').execute();
}

async function touchesOf(h: Harness, enrollmentId: string): Promise<string[]> {
  const d = await h.db.selectFrom('deliveries').select(['touch_id']).where('enrollment_id', '=', enrollmentId).where('status', 'in', ['sent', 'delivered']).orderBy('touch_id').execute();
  return d.map((x) => x.touch_id);
}

/** Lets the workflows started by the last call run their first steps. */
async function settle(h: Harness): Promise<void> {
  await h.advance(60_000);
}

describe('engine/reentry', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('per key: two orders run two chains side by side, a repeated order enrolls nobody, a review credits its own order only', async () => {
    const mail = recordingEmail();
    await withHarness(env, [{ plan: postPurchase, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'buyer@example.test', consent: { email: true } }, 'test');
      await ingestEvent(h.deps, { contactId: contact.id, name: 'order.paid', properties: { orderId: 'A-1' }, value: 1000 });
      await settle(h);
      await h.advance(1 * D);
      await ingestEvent(h.deps, { contactId: contact.id, name: 'order.paid', properties: { orderId: 'B/2' }, value: 2000 });
      await ingestEvent(h.deps, { contactId: contact.id, name: 'order.paid', properties: { orderId: 'A-1' }, value: 1000 });
      await settle(h);
      const [a, b, ...more] = await rows(h, postPurchase.id);
      expect(more).toEqual([]);
      expect([a!.status, b!.status]).toEqual(['active', 'active']);
      expect([a!.entry_key, b!.entry_key]).toEqual(['A-1', 'B/2']);
      const base = enrollmentWorkflowId(postPurchase.id, contact.id);
      expect([a!.workflow_id, b!.workflow_id]).toEqual([`${base}:key:A-1`, `${base}:key:B%2F2`]);
      expect(await touchesOf(h, a!.id)).toEqual(['thanks']);
      expect(await touchesOf(h, b!.id)).toEqual(['thanks']);

      await h.advance(12 * H);
      await ingestEvent(h.deps, { contactId: contact.id, name: 'review.left', properties: { orderId: 'B/2' } });
      await env.client.workflow.getHandle(b!.workflow_id).result();
      await env.client.workflow.getHandle(a!.workflow_id).result();

      const [a2, b2] = await rows(h, postPurchase.id);
      expect(a2).toMatchObject({ status: 'exited', converted_at: null });
      expect(b2).toMatchObject({ converted_at: expect.any(Number) });
      expect(await touchesOf(h, a!.id)).toEqual(['review', 'thanks']);
      expect(await touchesOf(h, b!.id)).toEqual(['thanks']);
      const conversions = await h.db.selectFrom('conversions').select('enrollment_id').execute();
      expect(conversions.map((c) => c.enrollment_id)).toEqual([b!.id]);
      expect(mail.sent.map((m) => m.subject)).toEqual(['Спасибо за заказ A-1', 'Спасибо за заказ B/2', 'Оставьте отзыв']);
    });
  });

  it('after a pause: refused within it, accepted after it under a new workflow id', async () => {
    const mail = recordingEmail();
    const plan = welcome({ afterMs: 30 * D });
    await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
      const { contact } = await upsertContact(h.db, { email: 'lead@example.test', consent: { email: true } }, 'test');
      const base = enrollmentWorkflowId(plan.id, contact.id);
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
      await settle(h); // (not result(): waiting on it lets the time-skipping server jump to other tests' timers)
      const [ended] = await rows(h, plan.id);
      expect(ended).toMatchObject({ status: 'exited', finished_at: expect.any(Number) });
      await h.advance(Math.max(0, ended!.finished_at! + 30 * D - H - h.deps.now()));
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
      await settle(h);
      expect((await rows(h, plan.id)).length).toBe(1);
      await h.advance(2 * H);
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
      const [first, second, ...more] = await rows(h, plan.id);
      expect(more).toEqual([]);
      expect(first!.workflow_id).toBe(base);
      expect(second!.workflow_id).toBe(`${base}:${second!.id}`);
      await settle(h);
      expect(await h.deps.gateway.latestRun(second!.workflow_id)).toMatchObject({ running: false });
      expect(mail.sent.map((m) => m.subject)).toEqual(['Здравствуйте', 'Здравствуйте']);
    });
  });

  it("'never' refuses a second entry; without the field a contact whose enrollment ended enters again as today", async () => {
    for (const [reentry, expected] of [['never', 1], [undefined, 2]] as const) {
      const mail = recordingEmail();
      const plan = welcome(reentry);
      await withHarness(env, [{ plan, version: 'v1' }], mail.channel, async (h) => {
        const { contact } = await upsertContact(h.db, { email: 'again@example.test', consent: { email: true } }, 'test');
        const base = enrollmentWorkflowId(plan.id, contact.id);
        await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
        await env.client.workflow.getHandle(base).result();
        await h.advance(400 * D);
        await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
        await settle(h);
        const all = await rows(h, plan.id);
        expect(all.length).toBe(expected);
        expect(all.every((r) => r.workflow_id === base && r.entry_key === '')).toBe(true);
        expect(mail.sent.length).toBe(expected);
      });
    }
  });
});
