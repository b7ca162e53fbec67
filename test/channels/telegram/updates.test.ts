import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../../src/db/contacts';
import { newId } from '../../../src/db/ids';
import { asUpdate, KEY, sentDelivery, tgCounts } from './fixtures';
import { createTelegramChannel, type TelegramBotChannel } from '../../../src/channels/telegram/channel';
import { callbackData } from '../../../src/channels/telegram/callback-data';
import { startPayload } from '../../../src/channels/telegram/start-link';
import { handleTelegramUpdate, type TelegramUpdateDeps } from '../../../src/channels/telegram/updates';
import { markTelegramBlocked } from '../../../src/channels/telegram/suppress';
import { BOT_REPLIES } from '../../../src/channels/telegram/bot-replies';
import { createTestApp, T0, type TestApp } from '../../http/test-app';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../../helpers/fake-telegram';

describe('handleTelegramUpdate', () => {
  let tg: FakeTelegram;
  let t: TestApp;
  let channel: TelegramBotChannel;
  let deps: TelegramUpdateDeps;
  let contactId: string;
  beforeAll(async () => {
    tg = await startFakeTelegram();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot });
  });
  afterAll(async () => { await tg.close(); });
  beforeEach(async () => {
    t = await createTestApp();
    deps = { ...t.deps, secretKey: KEY, channel };
    contactId = (await upsertContact(t.db, { email: 'anna@example.test', name: 'Анна' }, 'api', T0)).contact.id;
  });
  afterEach(async () => { await t.close(); });

  const chatOf = (id: string) => t.db.selectFrom('contacts').select('telegram_chat_id').where('id', '=', id).executeTakeFirstOrThrow().then((r) => r.telegram_chat_id);
  const events = (name?: string) => {
    let q = t.db.selectFrom('events').selectAll();
    if (name) q = q.where('name', '=', name);
    return q.execute();
  };
  const textsTo = (chatId: number) => tg.callsOf('sendMessage').filter((c) => c.body.chat_id === String(chatId)).map((c) => c.body.text);

  it('/start with a signed payload binds the chat, records consent with proof, lifts a suppression, emits and greets', async () => {
    await t.db.insertInto('suppressions').values({ channel: 'telegram', address: '7001', reason: 'blocked', at: T0 }).execute();
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7001, `/start ${startPayload(KEY, contactId)}`)));

    expect(await chatOf(contactId)).toBe('7001');
    expect(await t.db.selectFrom('consents').selectAll().where('contact_id', '=', contactId).execute())
      .toEqual([{ contact_id: contactId, channel: 'telegram', granted: 1, source: 'telegram:/start', updated_at: T0 }]);
    expect(await t.db.selectFrom('consent_log').selectAll().execute())
      .toEqual([expect.objectContaining({ contact_id: contactId, channel: 'telegram', granted: 1, source: 'telegram:/start', wording: '/start', at: T0 })]);
    expect(await t.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);
    const [ev] = await events('telegram.subscribed');
    expect(ev).toMatchObject({ contact_id: contactId, properties: JSON.stringify({ chatId: '7001' }) });
    expect(textsTo(7001)).toEqual([BOT_REPLIES.ru.subscribed]);
  });

  it('handles a redelivered /start update once', async () => {
    const update = asUpdate(tgUpdates.text(7002, `/start ${startPayload(KEY, contactId)}`));
    await handleTelegramUpdate(deps, update);
    const after = await tgCounts(t.db);
    await handleTelegramUpdate(deps, update);
    expect(await tgCounts(t.db)).toEqual(after);
    expect(textsTo(7002)).toHaveLength(1);
  });

  it('moves a chat to the contact whose link was opened: one chat, one contact', async () => {
    const other = (await upsertContact(t.db, { email: 'boris@example.test', telegramChatId: '7003' }, 'api', T0)).contact.id;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7003, `/start ${startPayload(KEY, contactId)}`)));
    expect(await chatOf(contactId)).toBe('7003');
    expect(await chatOf(other)).toBeNull();
  });

  it('takes /start without a payload, or with a forged or stale one, as the front door: a new contact for the chat, never the one named', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7004, '/start')));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7004, `/start ${startPayload('wrong-key', contactId)}`)));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7004, `/start ${startPayload(KEY, 'ct_00000000000000000000000000000000')}`)));
    expect(await chatOf(contactId)).toBeNull();
    const created = await t.db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', '7004').execute();
    expect(created).toHaveLength(1);
    expect(await events('telegram.subscribed')).toEqual([expect.objectContaining({ contact_id: created[0]!.id })]);
    // The first /start subscribes; the next ones find the chat subscribed already and store nothing new.
    expect(textsTo(7004)).toEqual([BOT_REPLIES.ru.subscribed, BOT_REPLIES.ru.alreadySubscribed, BOT_REPLIES.ru.alreadySubscribed]);
  });

  it('answers in English when the user\'s Telegram is English', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7005, '/start', { languageCode: 'en' })));
    expect(textsTo(7005)).toEqual([BOT_REPLIES.en.subscribed]);
  });

  it('turns a button press into <touch>.clicked with the button, and always answers the query', async () => {
    await t.db.updateTable('contacts').set({ telegram_chat_id: '7010' }).where('id', '=', contactId).execute();
    const deliveryId = await sentDelivery(t, contactId, 'hello', 7010, 55, T0);
    const answered = tg.callsOf('answerCallbackQuery').length;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.callback(7010, callbackData(deliveryId, 'want-more'), 55)));

    const [ev] = await events('hello.clicked');
    expect(ev?.contact_id).toBe(contactId);
    expect(JSON.parse(ev!.properties)).toEqual({ button: 'want-more', funnelId: 'welcome', deliveryId, channel: 'telegram' });
    const delivery = await t.db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
    expect(delivery.clicked_at).toBe(T0);
    expect(t.gateway.signals.map((s) => s.event.name)).toContain('hello.clicked');
    expect(tg.callsOf('answerCallbackQuery').length - answered).toBe(1);
  });

  it('ignores presses with unknown data or from another chat, but answers them', async () => {
    const deliveryId = await sentDelivery(t, contactId, 'hello', 7011, 56, T0);
    const before = await tgCounts(t.db);
    const answered = tg.callsOf('answerCallbackQuery').length;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.callback(7011, 'garbage')));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.callback(7011, callbackData(newId('dl'), 'x'))));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.callback(9999, callbackData(deliveryId, 'x'))));
    expect(await tgCounts(t.db)).toEqual(before);
    expect(tg.callsOf('answerCallbackQuery').length - answered).toBe(3);
  });

  it('turns a reply into <touch>.replied for the message replied to, else for the latest telegram touch', async () => {
    await t.db.updateTable('contacts').set({ telegram_chat_id: '7020' }).where('id', '=', contactId).execute();
    const hello = await sentDelivery(t, contactId, 'hello', 7020, 60, T0);
    const nudge = await sentDelivery(t, contactId, 'nudge', 7020, 61, T0 + 1000);
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7020, 'Да, интересно! <3', { replyTo: 60 })));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7020, 'А когда следующий урок?')));

    const [helloReply] = await events('hello.replied');
    const [nudgeReply] = await events('nudge.replied');
    expect(JSON.parse(helloReply!.properties)).toEqual({ text: 'Да, интересно! <3', funnelId: 'welcome', deliveryId: hello, channel: 'telegram' });
    expect(JSON.parse(nudgeReply!.properties)).toEqual({ text: 'А когда следующий урок?', funnelId: 'welcome', deliveryId: nudge, channel: 'telegram' });
    expect((await t.db.selectFrom('deliveries').select('replied_at').where('id', '=', hello).executeTakeFirstOrThrow()).replied_at).toBe(T0);
  });

  it('stores nothing for messages from an unbound chat or for other commands', async () => {
    await sentDelivery(t, contactId, 'hello', 7021, 62, T0);
    await t.db.updateTable('contacts').set({ telegram_chat_id: '7022' }).where('id', '=', contactId).execute();
    const before = await tgCounts(t.db);
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7021, 'кто это?')));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(7022, '/help')));
    expect(await tgCounts(t.db)).toEqual(before);
  });

  it('suppresses a chat that blocked the bot and emits telegram.blocked once; unblocking lifts it', async () => {
    await t.db.updateTable('contacts').set({ telegram_chat_id: '7030' }).where('id', '=', contactId).execute();
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.member(7030, 'kicked')));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.member(7030, 'kicked')));
    expect(await t.db.selectFrom('suppressions').selectAll().execute()).toEqual([{ channel: 'telegram', address: '7030', reason: 'blocked', at: T0 }]);
    expect(await events('telegram.blocked')).toHaveLength(1);

    await handleTelegramUpdate(deps, asUpdate(tgUpdates.member(7030, 'member')));
    expect(await t.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);
    expect(await events('telegram.unblocked')).toHaveLength(1);
  });

  it('markTelegramBlocked with a plain emitter (the send pipeline) suppresses and emits once', async () => {
    const emitted: Array<[string, string, Record<string, unknown>]> = [];
    const emit = async (c: string, name: string, props: Record<string, unknown>) => { emitted.push([c, name, props]); };
    expect(await markTelegramBlocked({ db: t.db, emit }, contactId, '7040', T0)).toBe(true);
    expect(await markTelegramBlocked({ db: t.db, emit }, contactId, '7040', T0 + 5)).toBe(false);
    expect(emitted).toEqual([[contactId, 'telegram.blocked', { chatId: '7040', channel: 'telegram' }]]);
    expect(await t.db.selectFrom('suppressions').select(['address', 'reason']).execute()).toEqual([{ address: '7040', reason: 'blocked' }]);
    expect(await events()).toHaveLength(0);
  });
});
