import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness, type Harness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { upsertContact } from '../../src/db/contacts';
import { ingestEvent } from '../../src/engine/ingest-event';
import { funnelStats } from '../../src/analytics/funnel-stats';
import type { VersionedPlan } from '../../src/db/funnels';
import { recordHistory } from '../helpers/histories';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const WEEK = 7 * D;

/** The next Monday 07:00 UTC (10:00 in Moscow) after `now`. */
function nextMonday10Moscow(now: number): number {
  const d = new Date(now);
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7), 7, 0);
  return monday > now ? monday : monday + WEEK;
}

describe('funnels/course-welcome.ts in virtual time', () => {
  let env: TestWorkflowEnvironment;
  let funnel: VersionedPlan;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    funnel = await loadExampleFunnel('course-welcome');
  });
  afterAll(async () => { await env?.teardown(); });

  /** Enrols a Moscow contact at Monday 10:00 local, plays the script, returns touches as offsets from enrollment. */
  async function customer(script: (h: Harness, contactId: string) => Promise<void>) {
    const mail = recordingEmail();
    return await withHarness(env, [funnel], mail.channel, async (h) => {
      await h.advance(nextMonday10Moscow(h.deps.now()) - h.deps.now());
      const { contact } = await upsertContact(h.db, { email: 'ivan@example.test', name: 'Иван', timezone: 'Europe/Moscow', attributes: { source: 'vk' }, consent: { email: true }, test: true }, 'test');
      const t0 = h.deps.now();
      await ingestEvent(h.deps, { contactId: contact.id, name: 'lead.created' });
      await script(h, contact.id);
      const result = await env.client.workflow.getHandle(`funnel:course-welcome:${contact.id}`).result();
      await recordHistory(env, `funnel:course-welcome:${contact.id}`);
      const rows = await h.db.selectFrom('deliveries').select(['touch_id', 'scheduled_at', 'status']).orderBy('scheduled_at').execute();
      const offset = (ms: number) => {
        const m = Math.round((ms - t0) / MIN);
        return `+${Math.floor(m / 1440)}d${Math.floor((m % 1440) / 60)}h${m % 60 ? `${m % 60}m` : ''}`;
      };
      const stats = await funnelStats(h.db, funnel.plan, { model: 'last_touch' });
      return { result, touches: rows.map((r) => `${r.touch_id} ${offset(r.scheduled_at)}`), statuses: rows.map((r) => r.status), stats, mail, t0 };
    });
  }

  it('walks a customer who never opens anything through the whole non-clicker path', async () => {
    const { result, touches, statuses, mail } = await customer(async () => undefined);
    expect(touches).toEqual([
      'welcome +0d0h', 'lesson-1 +1d0h', 'reminder +3d0h', 'offer +4d0h', 'stories +5d0h', 'deadline +6d0h', 'last-call +6d10h',
    ]);
    expect(statuses.every((s) => s === 'delivered')).toBe(true);
    expect(result).toEqual({ status: 'exited', reason: 'completed' });
    expect(mail.sent[0]?.subject).toContain('Иван');
    expect(mail.sent.every((m) => m.to === 'ivan@example.test')).toBe(true);
  });

  it('sends lesson 2 to a customer who clicks, and stops when they buy on day 5', async () => {
    const { result, touches, stats } = await customer(async (h, contactId) => {
      await h.advance(1 * D + 3 * H);
      await ingestEvent(h.deps, { contactId, name: 'lesson-1.clicked' });
      await h.advance(4 * D - 1 * H); // +5d2h
      await ingestEvent(h.deps, { contactId, name: 'order.paid', value: 24900 });
    });
    expect(touches).toEqual(['welcome +0d0h', 'lesson-1 +1d0h', 'lesson-2 +2d0h', 'offer +3d0h', 'stories +4d0h', 'deadline +5d0h']);
    expect(result).toEqual({ status: 'converted', reason: 'goal' });
    const byTouch = Object.fromEntries(stats.touches.map((t) => [t.touchId, t]));
    expect(byTouch.deadline).toMatchObject({ converted: 1, revenue: 24900 });
    expect(byTouch['lesson-1']).toMatchObject({ clicked: 1, opened: 1, converted: 0 });
    expect(stats).toMatchObject({ enrolled: 1, converted: 1, revenue: 24900 });
  });

  it('stops after lesson 1 for a customer who buys on day 1', async () => {
    const { result, touches, stats } = await customer(async (h, contactId) => {
      await h.advance(1 * D + 2 * H);
      await ingestEvent(h.deps, { contactId, name: 'order.paid', value: 24900 });
    });
    expect(touches).toEqual(['welcome +0d0h', 'lesson-1 +1d0h']);
    expect(result).toEqual({ status: 'converted', reason: 'goal' });
    expect(stats.touches.find((t) => t.touchId === 'lesson-1')).toMatchObject({ converted: 1, conversionRate: 1 });
  });
});
