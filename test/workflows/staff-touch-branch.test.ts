import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { email, wait, waitFor } from '../../src/dsl/steps';
import { logTouches } from '../../src/staff/log-touches';
import { funnelStats } from '../../src/analytics/funnel-stats';
import { ingestEvent } from '../../src/engine/ingest-event';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const funnel: VersionedPlan = {
  version: 's1',
  plan: {
    id: 'callback', name: 'Callback', entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 7 * D, exit: true },
    attributes: [], events: [],
    steps: [
      email('request', { subject: 'Мы перезвоним', text: 'Менеджер перезвонит в течение двух часов' }),
      waitFor('called', {
        event: 'staff.call', timeout: '2h',
        then: [email('after-call', { subject: 'Спасибо за разговор', text: 'Как обсуждали' }), wait('decide', '1d')],
        else: [email('missed', { subject: 'Не дозвонились', text: 'Выберите время' })],
      }),
    ],
  },
};

describe('"the manager called" branches the funnel (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('a call logged within the wait takes the then-branch and earns the purchase; without one the wait times out', async () => {
    const mail = recordingEmail();
    await withHarness(env, [funnel], mail.channel, async (h) => {
      const make = async (address: string) => (await upsertContact(h.db, { email: address, consent: { email: true } }, 'test')).contact;
      const called = await make('called@example.test');
      const missed = await make('missed@example.test');
      for (const c of [called, missed]) await enroll(h.deps, 'callback', c.id);
      await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('touch_id', '=', 'request').where('status', '=', 'delivered').execute()).length === 2, 'the two requests');
      await h.advance(40 * MIN);
      const [touch] = await logTouches({ ...h.deps, engine: h.deps }, [{ contactId: called.id, funnelId: 'callback', kind: 'call', by: 'Ольга', outcome: 'договорились' }], { source: 'api' });
      await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('touch_id', '=', 'after-call').execute()).length === 1, 'the after-call email');
      await ingestEvent(h.deps, { contactId: called.id, name: 'order.paid', value: 9900 });
      const results = [];
      for (const c of [called, missed]) results.push(await env.client.workflow.getHandle(`funnel:callback:${c.id}`).result());
      expect(results).toEqual([{ status: 'converted', reason: 'goal' }, { status: 'exited', reason: 'completed' }]);

      const ledger = async (contactId: string) => (await h.db.selectFrom('deliveries').select(['touch_id', 'channel']).where('contact_id', '=', contactId).orderBy('scheduled_at').orderBy('created_at').execute())
        .map((r) => `${r.touch_id}/${r.channel}`);
      expect(await ledger(called.id)).toEqual(['request/email', 'call/staff', 'after-call/email']);
      expect(await ledger(missed.id)).toEqual(['request/email', 'missed/email']);
      expect(mail.sent.map((m) => `${m.to} ${m.subject}`).sort()).toEqual([
        'called@example.test Мы перезвоним', 'called@example.test Спасибо за разговор', 'missed@example.test Мы перезвоним', 'missed@example.test Не дозвонились',
      ]);
      // the announcement is stored once, dated when the call happened
      const events = await h.db.selectFrom('events').select(['name', 'idempotency_key', 'occurred_at']).where('name', '=', 'staff.call').execute();
      expect(events).toEqual([{ name: 'staff.call', idempotency_key: `touch:${touch!.id}`, occurred_at: Date.parse(touch!.at) }]);
      const stats = await funnelStats(h.db, funnel.plan, { model: 'linear' });
      expect(stats.touches.find((t) => t.touchId === 'call')).toMatchObject({ channel: 'staff', sent: 1 });
      expect(stats.touches.find((t) => t.touchId === 'call')!.converted).toBeCloseTo(1 / 3, 4);
    });
  });
});
