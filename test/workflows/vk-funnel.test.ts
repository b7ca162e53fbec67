import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { VersionedPlan } from '../../src/db/funnels';
import { createTimeSkippingEnv } from '../helpers/temporal-env';
import { TEST_SECRET_KEY, withHarness } from '../helpers/harness';
import { recordingEmail } from '../helpers/recording-email';
import { eventually } from '../helpers/ports';
import { startFakeVk, vkEvent, type FakeVk } from '../helpers/fake-vk';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { asEmail, email, vk, waitFor } from '../../src/dsl/steps';
import { createVkChannel } from '../../src/channels/vk/channel';
import { vkCallbackRoutes } from '../../src/http/webhooks/vk';

const H = 3_600_000;
const GROUP = '777';

const funnel: VersionedPlan = {
  version: 'vk1',
  plan: {
    id: 'vk-course', name: 'VK course', entry: null, timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 7 * 24 * H, exit: true },
    attributes: [], events: [],
    steps: [
      vk('offer', { text: 'Курс стартует завтра', buttons: [{ id: 'want', text: 'Хочу' }], fallback: [asEmail({ subject: 'Курс', text: 'Курс стартует завтра' })] }),
      waitFor('pressed', {
        event: 'offer.clicked', timeout: '1d',
        then: [vk('details', { text: 'Вот программа' })],
        else: [email('nudge', { subject: 'Не пропустите', text: 'Курс уже идёт' })],
      }),
    ],
  },
};

describe('a funnel with vk() touches (virtual time, the loopback VK API)', () => {
  let env: TestWorkflowEnvironment;
  let peer: FakeVk;
  beforeAll(async () => { env = await createTimeSkippingEnv(); peer = await startFakeVk(); });
  afterAll(async () => { await env?.teardown(); await peer?.close(); });

  it('sends in VK; a button press through the Callback API takes the then-branch; a blocked user falls back to email', async () => {
    const mail = recordingEmail();
    const channel = createVkChannel({ token: peer.token, groupId: GROUP, apiUrl: peer.apiUrl });
    await withHarness(env, [funnel], mail.channel, async (h) => {
      const callback = vkCallbackRoutes({ ...h.deps, secretKey: TEST_SECRET_KEY, groupId: GROUP, confirmation: 'c0nf' });
      const make = async (address: string, vkUserId: string) => (await upsertContact(h.db, { email: address, vkUserId, consent: { email: true, vk: true } }, 'test')).contact;
      const presser = await make('presser@example.test', '8001');
      const blocked = await make('blocked@example.test', '8002');
      peer.blockUser(8002);
      for (const c of [presser, blocked]) await enroll(h.deps, 'vk-course', c.id);
      await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('touch_id', '=', 'offer').where('status', '=', 'delivered').execute()).length === 2, 'both offers');

      const keyboard = peer.sent.find((m) => m.peerId === '8001')!.keyboard as { buttons: Array<Array<{ action: { payload: string } }>> };
      const res = await callback.request('/', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(vkEvent('message_new', { message: { id: 1, from_id: 8001, peer_id: 8001, text: 'Хочу', payload: keyboard.buttons[0]![0]!.action.payload } }, { groupId: GROUP, eventId: 'press-1' })),
      });
      expect(await res.text()).toBe('ok');
      await eventually(async () => (await h.db.selectFrom('deliveries').select('id').where('touch_id', '=', 'details').execute()).length === 1, 'the details');
      await h.advance(25 * H);
      for (const c of [presser, blocked]) expect(await env.client.workflow.getHandle(`funnel:vk-course:${c.id}`).result()).toEqual({ status: 'exited', reason: 'completed' });

      const ledger = async (contactId: string) => (await h.db.selectFrom('deliveries').select(['touch_id', 'channel', 'status']).where('contact_id', '=', contactId).orderBy('scheduled_at').orderBy('created_at').execute())
        .map((r) => `${r.touch_id} ${r.channel} ${r.status}`);
      expect(await ledger(presser.id)).toEqual(['offer vk delivered', 'details vk delivered']);
      expect(await ledger(blocked.id)).toEqual(['offer email delivered', 'nudge email delivered']);
      expect(peer.sent.filter((m) => m.peerId === '8001').map((m) => m.text)).toEqual(['Курс стартует завтра', 'Вот программа']);
      expect(peer.sent.filter((m) => m.peerId === '8002')).toEqual([]);
      expect(mail.sent.map((m) => `${m.to} ${m.subject}`)).toEqual(['blocked@example.test Курс', 'blocked@example.test Не пропустите']);
    }, { vk: channel });
  });
});
