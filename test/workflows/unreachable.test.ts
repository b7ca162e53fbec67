import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { recordingSms } from '../helpers/recording-channels';
import { recordHistory } from '../helpers/histories';
import { eventually } from '../helpers/ports';
import { upsertContact } from '../../src/db/contacts';
import { recordConsent } from '../../src/consent/record-consent';
import { suppress } from '../../src/consent/suppressions';
import { enroll } from '../../src/engine/enroll';
import { email, sms, split, wait } from '../../src/dsl/steps';
import { experiments } from '../../src/analytics/experiments';

const H = 3_600_000;
const D = 24 * H;

const funnel: VersionedPlan = {
  version: 'u1',
  plan: {
    id: 'reach', name: 'Reach', entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 30 * D, exit: true },
    attributes: [], events: [],
    steps: [
      split('offer-test', [{ id: 'a', steps: [email('offer-a', { subject: 'A', text: 'a' })] }, { id: 'b', steps: [email('offer-b', { subject: 'B', text: 'b' })] }]),
      wait('pause', '1d'),
      sms('nudge', { text: 'Напоминание' }),
      wait('pause-2', '1d'),
      email('last', { subject: 'Последнее', text: 'x' }),
    ],
  },
};

describe('a contact nobody can reach leaves (virtual time)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  it('exits as unreachable at the next touch once every channel it has is withdrawn or suppressed, and leaves the split sample', async () => {
    const mail = recordingEmail();
    const sent = recordingSms(() => 0);
    await withHarness(env, [funnel], mail.channel, async (h) => {
      const make = async (address: string) => (await upsertContact(h.db, { email: address, phone: `+7916${String(address.length).padStart(7, '0')}`, consent: { email: true, sms: true } }, 'test')).contact;
      const gone = await make('gone@example.test');
      const stays = await make('stays-here@example.test');
      const half = (await upsertContact(h.db, { email: 'half@example.test', phone: '+79160000099', consent: { email: true } }, 'test')).contact;
      for (const c of [gone, stays, half]) await enroll(h.deps, 'reach', c.id);
      // Let the first touches finish before moving the clock (a jump over a running activity would time it out).
      await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('status', '=', 'delivered').execute()).length === 3, 'the three offers');
      await h.advance(H);
      // `gone` withdraws email consent and answers STOP to SMS; `half` withdraws email but was never asked about SMS.
      await recordConsent(h.db, { contactId: gone.id, channel: 'email', granted: false, source: 'unsubscribe', wording: null, at: h.deps.now() });
      await suppress(h.db, { channel: 'sms', address: gone.phone!, reason: 'stop', at: h.deps.now() });
      await recordConsent(h.db, { contactId: half.id, channel: 'email', granted: false, source: 'unsubscribe', wording: null, at: h.deps.now() });

      // One result at a time: each wait unlocks time skipping, concurrent ones would let the clock run past the sends.
      const results = [];
      for (const c of [gone, stays, half]) results.push(await env.client.workflow.getHandle(`funnel:reach:${c.id}`).result());
      await recordHistory(env, `funnel:reach:${gone.id}`);
      expect(results).toEqual([{ status: 'exited', reason: 'unreachable' }, { status: 'exited', reason: 'completed' }, { status: 'exited', reason: 'completed' }]);

      const ledger = async (contactId: string) => (await h.db.selectFrom('deliveries').selectAll().where('contact_id', '=', contactId).orderBy('scheduled_at').execute())
        .map((r) => `${r.touch_id.replace(/^offer-[ab]$/, 'offer')} ${r.status}${r.reason ? ` ${r.reason}` : ''}`);
      expect(await ledger(gone.id)).toEqual(['offer delivered', 'nudge skipped unreachable']);
      expect(await ledger(stays.id)).toEqual(['offer delivered', 'nudge sent', 'last delivered']);
      expect(await ledger(half.id)).toEqual(['offer delivered', 'nudge skipped no_consent', 'last skipped no_consent']);
      expect((await h.db.selectFrom('touch_log').select(['touch_id', 'kind', 'reason']).where('contact_id', '=', gone.id).execute()))
        .toEqual([{ touch_id: 'nudge', kind: 'skipped', reason: 'unreachable: email: no_consent, sms: suppressed:stop' }]);
      expect(await h.db.selectFrom('enrollments').select(['status', 'exit_reason']).where('contact_id', '=', gone.id).executeTakeFirst())
        .toEqual({ status: 'exited', exit_reason: 'unreachable' });

      // The split's sample holds the two contacts that could be reached, not the one who left.
      const split = (await experiments(h.db, funnel.plan, {})).splits[0]!;
      expect(split.variants.reduce((n, v) => n + v.enrolled, 0)).toBe(2);
      expect((await h.db.selectFrom('split_assignments').select('contact_id').execute()).map((a) => a.contact_id).sort()).toEqual([stays.id, half.id].sort());
      expect(sent.sent.map((m) => m.to)).toEqual([stays.phone]);
    }, { sms: sent.channel });
  });
});
