import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan, Step } from '../../src/dsl/plan';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { recordHistory } from '../helpers/histories';
import { withHarness, type Harness, type HarnessOptions } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email, wait, waitUntil } from '../../src/dsl/steps';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { moveWebinar } from '../../src/webinars/move-webinar';
import { localParts, localToInstant, nextLocalTime } from '../../src/time/local-time';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** A small plan; everything the tests do not care about is minimal. */
function plan(id: string, steps: Step[], extra: Partial<Plan> = {}): VersionedPlan {
  return {
    plan: { id, name: id, entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 30 * D, exit: true }, attributes: [], events: [], steps, ...extra },
    version: 'v1',
  };
}

/** A timer fires at its moment plus the few milliseconds the server took to start it: never early, never a second late. */
function expectAt(actual: number | null | undefined, due: number) {
  expect(actual).toBeGreaterThanOrEqual(due);
  expect(actual! - due).toBeLessThan(1_000);
}

describe('send policies in virtual time', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  /** Runs `fn` in a harness with a recording email channel. */
  function run<T>(funnels: VersionedPlan[], fn: (h: Harness, mail: ReturnType<typeof recordingEmail>) => Promise<T>, options?: HarnessOptions) {
    const mail = recordingEmail();
    return withHarness(env, funnels, mail.channel, (h) => fn(h, mail), options);
  }
  const contact = async (h: Harness, address: string, timezone?: string) =>
    (await upsertContact(h.db, { email: address, consent: { email: true }, ...(timezone && { timezone }) }, 'test')).contact.id;
  const finished = async (funnelId: string, contactId: string) => {
    const result = await env.client.workflow.getHandle(`funnel:${funnelId}:${contactId}`).result();
    await recordHistory(env, `funnel:${funnelId}:${contactId}`, `${funnelId} ${contactId.slice(-4)}`);
    return result;
  };
  const rows = (h: Harness, contactId: string) => h.db.selectFrom('deliveries').selectAll().where('contact_id', '=', contactId).orderBy('scheduled_at').execute();
  const log = async (h: Harness, contactId: string) => (await h.db.selectFrom('touch_log').selectAll().where('contact_id', '=', contactId).orderBy('at').execute())
    .map((l) => `${l.touch_id} ${l.kind} ${l.reason} ${l.until === null ? '' : new Date(l.until).toISOString()}`.trim());

  it('sends a touch due at 23:00 local at 09:00 local the next day under a 09:00–21:00 window', async () => {
    const zone = 'Asia/Vladivostok';
    const night = plan('night', [email('late', { subject: 'Поздно', text: 'Привет' })], { policy: { sendWindow: { from: '09:00', to: '21:00' }, priority: 0 } });
    await run([night], async (h, mail) => {
      await h.advance(nextLocalTime(h.deps.now() + H, zone, '23:00') - h.deps.now());
      const id = await contact(h, 'night@example.test', zone);
      await enroll(h.deps, 'night', id);
      await finished('night', id);
      const [row] = await rows(h, id);
      const due = localParts(row!.scheduled_at, zone);
      expect([due.hour, due.minute]).toEqual([23, 0]);
      const next = new Date(Date.UTC(due.year, due.month - 1, due.day) + D);
      const opening = localToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 9, 0, zone);
      expect(row).toMatchObject({ touch_id: 'late', status: 'delivered', deferred_until: null });
      expectAt(row!.sent_at, opening);
      expect(await log(h, id)).toEqual([`late deferred send_window ${new Date(opening).toISOString()}`]);
      expect(mail.sent.map((m) => m.subject)).toEqual(['Поздно']);
    });
  });

  const CAP = { frequencyCap: { max: 2, windowMs: D } };
  const newsletter = plan('newsletter', [
    email('n1', { subject: 'n1', text: '1' }), wait('p1', '1m'), email('n2', { subject: 'n2', text: '2' }), wait('p2', '1m'), email('n3', { subject: 'n3', text: '3' }),
  ]);
  const receipt = plan('receipt', [email('paid', { subject: 'Чек', text: 'Спасибо за оплату' })], { policy: { priority: 10 } });

  it('holds the third of three touches a minute apart until 24h after the first under a 2/24h cap', async () => {
    await run([newsletter], async (h, mail) => {
      const id = await contact(h, 'cap@example.test');
      await enroll(h.deps, 'newsletter', id);
      await finished('newsletter', id);
      const [n1, n2, n3] = await rows(h, id);
      expect([n1, n2, n3].map((r) => `${r!.touch_id} ${r!.status}`)).toEqual(['n1 delivered', 'n2 delivered', 'n3 delivered']);
      expectAt(n2!.sent_at, n1!.sent_at! + MIN);
      expectAt(n3!.scheduled_at, n2!.sent_at! + MIN);
      expectAt(n3!.sent_at, n1!.sent_at! + D);
      expect(await log(h, id)).toEqual([`n3 deferred frequency_cap ${new Date(n1!.sent_at! + D).toISOString()}`]);
      expect(mail.sent).toHaveLength(3);
    }, CAP);
  });

  it("does not hold back a higher-priority funnel by a lower one's sends, but counts it against the lower one", async () => {
    await run([newsletter, receipt], async (h) => {
      const id = await contact(h, 'prio@example.test');
      await enroll(h.deps, 'newsletter', id);
      await h.advance(5 * MIN);
      expect((await rows(h, id)).map((r) => `${r.touch_id} ${r.status}`)).toEqual(['n1 delivered', 'n2 delivered', 'n3 deferred']);
      await enroll(h.deps, 'receipt', id);
      await finished('receipt', id);
      await finished('newsletter', id);
      const byTouch = Object.fromEntries((await rows(h, id)).map((r) => [r.touch_id, r]));
      // Two newsletter sends in the last 24h do not delay the receipt.
      expect(byTouch.paid).toMatchObject({ status: 'delivered', sent_at: byTouch.paid!.scheduled_at });
      expect(byTouch.paid!.sent_at! - byTouch.n2!.sent_at!).toBeLessThan(D);
      // The receipt does count for the newsletter: once n1 leaves the window, n2 and the receipt still fill it.
      const n1 = byTouch.n1!.sent_at!;
      const n2 = byTouch.n2!.sent_at!;
      expect(byTouch.n3).toMatchObject({ status: 'delivered' });
      expectAt(byTouch.n3!.sent_at, n2 + D);
      expect(await log(h, id)).toEqual([
        `n3 deferred frequency_cap ${new Date(n1 + D).toISOString()}`,
        `n3 deferred frequency_cap ${new Date(n2 + D).toISOString()}`,
      ]);
    }, CAP);
  });

  it('holds out about half of 20 contacts, the same ones on a second enrollment', async () => {
    const promo = plan('promo', [email('promo', { subject: 'Скидка', text: '−20%', holdout: 0.5 })]);
    await run([promo], async (h, mail) => {
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => contact(h, `promo${i}@example.test`)));
      const round = async () => {
        await Promise.all(ids.map((id) => enroll(h.deps, 'promo', id)));
        // One result at a time: each wait unlocks time skipping, concurrent ones would let the clock run past the sends.
        for (const id of ids) await finished('promo', id);
      };
      const heldOut = async () => (await h.db.selectFrom('deliveries').select(['contact_id', 'status']).execute())
        .filter((r) => r.status === 'held_out').map((r) => r.contact_id);
      await round();
      const first = await heldOut();
      expect(first.length).toBeGreaterThan(2);
      expect(first.length).toBeLessThan(18);
      expect(mail.sent).toHaveLength(20 - first.length);
      const statuses = new Set((await h.db.selectFrom('deliveries').select('status').execute()).map((r) => r.status));
      expect(statuses).toEqual(new Set(['held_out', 'delivered']));
      expect(await h.db.selectFrom('touch_log').select(['kind', 'reason']).distinct().execute()).toEqual([{ kind: 'held_out', reason: 'holdout' }]);
      await round();
      const both = await heldOut();
      expect(both).toHaveLength(2 * first.length);
      expect(new Set(both)).toEqual(new Set(first));
      expect(mail.sent).toHaveLength(2 * (20 - first.length));
    });
  });

  it('moves a webinar reminder with the webinar: an hour before the new start, not the old one', async () => {
    const base = await env.currentTimeMs();
    const oldStart = Math.ceil((base + 2 * D) / H) * H;
    const newStart = oldStart + 26 * H;
    const live = plan('live', [
      waitUntil('hour-before', { webinar: 'mc', offset: '-1h' }),
      email('reminder', { subject: 'Через час: {{ webinars.mc.time }}', text: '{{ webinars.mc.joinUrl }}' }),
    ], { webinars: [{ id: 'mc', title: 'Мастер-класс', startsAt: new Date(oldStart).toISOString(), minLeadMs: 0, durationMs: 2 * H, joinUrl: 'https://meet.example.test/mc' }] });
    await run([live], async (h, mail) => {
      await syncWebinars(h.db, [live.plan], h.deps.now());
      const id = await contact(h, 'live@example.test', 'Europe/Moscow');
      await enroll(h.deps, 'live', id);
      await eventually(() => h.db.selectFrom('webinar_sessions').selectAll().where('contact_id', '=', id).executeTakeFirst(), 'the session');
      await h.advance(D);
      const moved = await moveWebinar(h.deps, 'mc', newStart);
      expect(moved).toMatchObject({ sessionsMoved: 1, enrollmentsSignalled: 1 });
      await finished('live', id);
      const [row] = await rows(h, id);
      expect(row).toMatchObject({ touch_id: 'reminder', status: 'delivered' });
      expectAt(row!.sent_at, newStart - H);
      const t = localParts(newStart, 'Europe/Moscow');
      expect(mail.sent.map((m) => m.subject)).toEqual([`Через час: ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`]);
    });
  });
});
