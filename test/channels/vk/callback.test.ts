import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactInput } from '../../../src/contacts/input';
import type { TouchStep } from '../../../src/dsl/plan';
import { upsertContact } from '../../../src/db/contacts';
import { asEmail, email, vk } from '../../../src/dsl/steps';
import { sendTouch, type SendTouchDeps, type SendTouchInput } from '../../../src/activities/send-touch';
import { createVkChannel } from '../../../src/channels/vk/channel';
import { createTestApp, type TestApp } from '../../http/test-app';
import { recordingEmail } from '../../helpers/recording-email';
import { serveApp, type ServedApp } from '../../helpers/serve-app';
import { startFakeVk, vkEvent, type FakeVk } from '../../helpers/fake-vk';

const SECRET_KEY = 'vk-callback-test-secret-0123456789';
const GROUP = '777';
const CALLBACK_SECRET = 'callback-secret-42';
const CONFIRMATION = 'a1b2c3d4';
const PUBLIC = 'https://funnels.example.test';

describe('VK Callback API (/webhooks/vk) with sends through the loopback VK API', () => {
  let t: TestApp;
  let served: ServedApp;
  let peer: FakeVk;
  let mail: ReturnType<typeof recordingEmail>;
  let deps: SendTouchDeps;
  let n = 0;
  let eventNo = 0;
  let lastRef = '';

  beforeAll(async () => {
    peer = await startFakeVk();
    t = await createTestApp({ public: { secretKey: SECRET_KEY, publicUrl: PUBLIC, vk: { groupId: GROUP, confirmation: CONFIRMATION, secret: CALLBACK_SECRET } } });
    served = await serveApp(t.app);
    mail = recordingEmail();
    deps = {
      db: t.db, email: mail.channel, vk: createVkChannel({ token: peer.token, groupId: GROUP, apiUrl: peer.apiUrl }),
      mailFrom: 'School <s@example.test>', publicUrl: PUBLIC, secretKey: SECRET_KEY, vkCommunity: 'myschool',
    };
  });
  afterAll(async () => { await served.close(); await t.close(); await peer.close(); });

  /** Posts an event to the served app as VK would; the same `eventId` is a retried delivery. */
  const post = (body: unknown) => fetch(`${served.url}/webhooks/vk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const deliver = async (type: string, object: Record<string, unknown>, eventId = `ev${++eventNo}`) => {
    t.clock.now += 1000;
    const res = await post(vkEvent(type, object, { groupId: GROUP, secret: CALLBACK_SECRET, eventId }));
    expect(res.status, JSON.stringify(t.errors.map((e) => String((e.fields as { error?: unknown })?.error)))).toBe(200);
    expect(await res.text()).toBe('ok');
    return eventId;
  };
  const message = (fromId: number, fields: Record<string, unknown>) => ({ message: { id: ++eventNo, date: 1_700_000_000, peer_id: fromId, from_id: fromId, text: '', ...fields }, client_info: {} });

  async function target(touch: TouchStep, c: Partial<ContactInput> = {}): Promise<SendTouchInput> {
    const { contact } = await upsertContact(t.db, { email: `vk${++n}@example.test`, name: 'Анна Петрова', ...c } as ContactInput, 'test');
    const enrollmentId = `en_vk_${n}`;
    await t.db.insertInto('enrollments').values({ id: enrollmentId, funnel_id: 'manual', contact_id: contact.id, version: 'm1', workflow_id: `wfvk${n}`, status: 'active', enrolled_at: Date.now() } as never).execute();
    return { enrollmentId, funnelId: 'manual', contactId: contact.id, funnelName: 'Manual', touch, trigger: null, scheduledAt: Date.now() };
  }
  const events = async (name: string) => t.db.selectFrom('events').selectAll().where('name', '=', name).execute();
  const contact = (id: string) => t.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const vkConsentLog = (id: string) => t.db.selectFrom('consent_log').selectAll().where('contact_id', '=', id).where('channel', '=', 'vk').orderBy('at').orderBy('id').execute();

  /** Sends an email carrying {{ links.vk }} and follows the link as VK user `userId` (its ref arrives in message_new). */
  async function bindThroughLink(userId: number): Promise<SendTouchInput> {
    const input = await target(email('invite-vk', { subject: 'Мы во ВКонтакте', text: 'Пишите нам: {{ links.vk }}' }), { consent: { email: true } });
    const sent = await sendTouch(deps, input);
    // The email carries a tracked link (every external link is); its target is the contact's vk.me link.
    const targets = await t.db.selectFrom('links').select('url').where('delivery_id', '=', sent.deliveryId).execute();
    const link = targets.map((l) => /^https:\/\/vk\.me\/myschool\?ref=([A-Za-z0-9_-]+)$/.exec(l.url)).find(Boolean);
    expect(link).toBeTruthy();
    lastRef = link![1]!;
    await deliver('message_new', message(userId, { text: 'Начать', ref: lastRef, ref_source: 'email' }));
    return input;
  }

  it('answers confirmation with VK_CONFIRMATION; refuses a wrong secret, another community and a body that is not an event', async () => {
    const res = await post({ type: 'confirmation', group_id: Number(GROUP) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(CONFIRMATION);
    expect((await post(vkEvent('message_new', message(1, { text: 'x' }), { groupId: GROUP, secret: 'wrong', eventId: 'bad1' }))).status).toBe(403);
    expect((await post(vkEvent('message_new', message(1, { text: 'x' }), { groupId: GROUP, eventId: 'bad2' }))).status).toBe(403);
    expect((await post(vkEvent('message_new', message(1, { text: 'x' }), { groupId: '778', secret: CALLBACK_SECRET, eventId: 'bad3' }))).status).toBe(403);
    expect((await fetch(`${served.url}/webhooks/vk`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('binds the VK user who followed {{ links.vk }} to the contact, with vk consent and its proof; a retried delivery changes nothing', async () => {
    const input = await bindThroughLink(9001);
    expect((await contact(input.contactId)).vk_user_id).toBe('9001');
    expect(await vkConsentLog(input.contactId)).toMatchObject([{ granted: 1, source: 'vk:ref', wording: 'message: Начать' }]);
    const subscribed = (await events('vk.subscribed')).filter((e) => e.contact_id === input.contactId);
    expect(subscribed).toHaveLength(1);
    // VK retries a delivery it got no "ok" for: the same event_id.
    const link = lastRef;
    await deliver('message_new', message(9001, { text: 'Начать', ref: link }), subscribed[0]!.idempotency_key!.split(':')[1]);
    expect((await events('vk.subscribed')).filter((e) => e.contact_id === input.contactId)).toHaveLength(1);
    expect(await vkConsentLog(input.contactId)).toHaveLength(1);
    // A forged ref binds nobody.
    await deliver('message_new', message(9002, { text: 'hi', ref: `${link.slice(0, -3)}AAA` }));
    expect(await t.db.selectFrom('contacts').select('id').where('vk_user_id', '=', '9002').execute()).toEqual([]);
  });

  it('sends a vk() touch with buttons; a press is <touch>.clicked and a message is <touch>.replied, each once', async () => {
    const bound = await bindThroughLink(9101);
    const input = { ...bound, touch: vk('offer', { text: 'Анна, курс стартует завтра', buttons: [{ id: 'want', text: 'Хочу' }, { id: 'site', text: 'Сайт', url: 'https://school.example.test/course' }] }) };
    const result = await sendTouch(deps, input);
    expect(result.status).toBe('delivered');
    const got = peer.sent.at(-1)!;
    expect(got).toMatchObject({ peerId: '9101', text: 'Анна, курс стартует завтра' });
    // A flat list of buttons is one button a row, as in Telegram.
    const rows = (got.keyboard as { inline: boolean; buttons: Array<Array<{ action: { type: string; payload?: string; link?: string } }>> }).buttons;
    expect(rows.map((r) => r.length)).toEqual([1, 1]);
    const press = rows[0]![0];
    const site = rows[1]![0];
    expect(site!.action).toMatchObject({ type: 'open_link', link: expect.stringMatching(new RegExp(`^${PUBLIC}/t/c/`)) });
    expect(press!.action.type).toBe('text');

    const pressId = await deliver('message_new', message(9101, { text: 'Хочу', payload: press!.action.payload }));
    await deliver('message_new', message(9101, { text: 'Хочу', payload: press!.action.payload }), pressId);
    const clicks = await events('offer.clicked');
    expect(clicks).toHaveLength(1);
    expect(JSON.parse(clicks[0]!.properties)).toMatchObject({ button: 'want', deliveryId: result.deliveryId, channel: 'vk' });
    // Someone else pressing a forwarded button changes nothing.
    await deliver('message_new', message(9999, { text: 'Хочу', payload: press!.action.payload }));
    expect(await events('offer.clicked')).toHaveLength(1);

    await deliver('message_new', message(9101, { text: 'А сколько стоит?' }));
    const replies = await events('offer.replied');
    expect(replies).toHaveLength(1);
    expect(JSON.parse(replies[0]!.properties)).toMatchObject({ text: 'А сколько стоит?', deliveryId: result.deliveryId, channel: 'vk' });
  });

  it('records message_deny and message_allow as vk consent with proof; denied, a vk touch falls back to email', async () => {
    const bound = await bindThroughLink(9201);
    await deliver('message_deny', { user_id: 9201 });
    expect((await vkConsentLog(bound.contactId)).map((r) => [r.granted, r.source])).toEqual([[1, 'vk:ref'], [0, 'vk:message_deny']]);
    const before = peer.sent.length;
    const denied = await sendTouch(deps, { ...bound, touch: vk('news', { text: 'Новости', fallback: [asEmail({ subject: 'Новости', text: 'Новости письмом' })] }) });
    expect(denied.status).toBe('delivered');
    expect(peer.sent.length).toBe(before);
    expect(mail.sent.at(-1)).toMatchObject({ subject: 'Новости', text: expect.stringContaining('Новости письмом') });

    const allowId = await deliver('message_allow', { user_id: 9201, key: '' });
    await deliver('message_allow', { user_id: 9201, key: '' }, allowId);
    expect((await vkConsentLog(bound.contactId)).map((r) => [r.granted, r.source])).toEqual([[1, 'vk:ref'], [0, 'vk:message_deny'], [1, 'vk:message_allow']]);
    const allowed = await sendTouch(deps, { ...bound, touch: vk('news-2', { text: 'Снова во ВК' }) });
    expect(allowed.status).toBe('delivered');
    expect(peer.sent.at(-1)).toMatchObject({ peerId: '9201', text: 'Снова во ВК' });
  });

  it('suppresses the VK user VK cannot write to (901), emits vk.blocked and falls back to email, now and for later touches', async () => {
    const bound = await bindThroughLink(9301);
    peer.blockUser(9301);
    const first = await sendTouch(deps, { ...bound, touch: vk('promo', { text: 'Скидка', fallback: [asEmail({ subject: 'Скидка', text: 'Скидка письмом' })] }) });
    expect(first.status).toBe('delivered');
    expect(mail.sent.at(-1)).toMatchObject({ subject: 'Скидка' });
    expect(await t.db.selectFrom('suppressions').selectAll().where('channel', '=', 'vk').where('address', '=', '9301').execute()).toMatchObject([{ reason: 'blocked' }]);
    expect((await events('vk.blocked')).filter((e) => e.contact_id === bound.contactId)).toHaveLength(1);
    const row = await t.db.selectFrom('deliveries').selectAll().where('id', '=', first.deliveryId).executeTakeFirstOrThrow();
    expect(row.channel).toBe('email');

    const calls = peer.calls.length;
    const later = await sendTouch(deps, { ...bound, touch: vk('promo-2', { text: 'Ещё', fallback: [asEmail({ subject: 'Ещё', text: 'Ещё письмом' })] }) });
    expect(later.status).toBe('delivered');
    expect(peer.calls.length).toBe(calls);
    expect(mail.sent.at(-1)).toMatchObject({ subject: 'Ещё' });
  });

  it('takes vkUserId and vk consent through POST /api/contacts, and answers them', async () => {
    const res = await t.call('POST', '/api/contacts', { email: 'api-vk@example.test', vkUserId: 9401, consent: { vk: true } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; vkUserId: string | null; consent: Record<string, { granted: boolean }> };
    expect(body).toMatchObject({ vkUserId: '9401', consent: { vk: { granted: true } } });
    const sent = await sendTouch(deps, { ...(await target(vk('x', { text: 'hi' }), { email: 'other-vk@example.test' })), contactId: body.id });
    expect(sent.status).toBe('delivered');
    expect(peer.sent.at(-1)).toMatchObject({ peerId: '9401', text: 'hi' });
  });

  it('without VK_GROUP_TOKEN a vk() touch goes to the dev outbox, like the other channels', async () => {
    const { vk: _configured, ...outboxDeps } = deps;
    const input = await target(vk('dev', { text: 'В outbox', buttons: [{ id: 'ok', text: 'OK' }] }), { vkUserId: '9501', consent: { vk: true } });
    const before = peer.calls.length;
    const result = await sendTouch(outboxDeps, input);
    expect(result.status).toBe('outbox');
    expect(peer.calls.length).toBe(before);
    expect(await t.db.selectFrom('outbox').select(['channel', 'recipient', 'text']).where('delivery_id', '=', result.deliveryId).execute())
      .toEqual([{ channel: 'vk', recipient: '9501', text: 'В outbox' }]);
  });

  it('erasing a contact empties its VK user id and keeps the user suppressed by a keyed hash', async () => {
    const bound = await bindThroughLink(9601);
    expect((await t.call('DELETE', `/api/contacts/${bound.contactId}`)).status).toBe(204);
    expect((await contact(bound.contactId)).vk_user_id).toBeNull();
    const vkRows = await t.db.selectFrom('suppressions').selectAll().where('channel', '=', 'vk').execute();
    expect(vkRows.some((r) => r.address !== '9601' && r.address.length > 20)).toBe(true);
    expect(vkRows.some((r) => r.address === '9601')).toBe(false);
  });
});
