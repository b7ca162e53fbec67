import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact, findContact } from '../../../src/db/contacts';
import { asUpdate, KEY } from './fixtures';
import { createTelegramChannel, type TelegramBotChannel } from '../../../src/channels/telegram/channel';
import { startPayload } from '../../../src/channels/telegram/start-link';
import { classifyStartPayload } from '../../../src/channels/telegram/start-payload';
import { handleTelegramUpdate, type TelegramUpdateDeps } from '../../../src/channels/telegram/updates';
import { BOT_REPLIES } from '../../../src/channels/telegram/bot-replies';
import { createTestApp, T0, type TestApp } from '../../http/test-app';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../../helpers/fake-telegram';

describe('the bot as the front door', () => {
  let tg: FakeTelegram;
  let t: TestApp;
  let channel: TelegramBotChannel;
  let deps: TelegramUpdateDeps;
  beforeAll(async () => {
    tg = await startFakeTelegram();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot });
  });
  afterAll(async () => { await tg.close(); });
  beforeEach(async () => {
    t = await createTestApp();
    deps = { ...t.deps, secretKey: KEY, channel };
  });
  afterEach(async () => { await t.close(); });

  const byChat = (chatId: number) => t.db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', String(chatId)).execute();
  const events = (name: string) => t.db.selectFrom('events').selectAll().where('name', '=', name).execute();
  const repliesTo = (chatId: number) => tg.callsOf('sendMessage').filter((c) => c.body.chat_id === String(chatId));
  const consentLog = (contactId: string) => t.db.selectFrom('consent_log').select(['channel', 'granted', 'source', 'wording', 'at']).where('contact_id', '=', contactId).orderBy('channel').execute();

  it('reads payloads: bare, signed, a public source, a referral; anything else is invalid', () => {
    const signed = startPayload(KEY, 'ct_0123456789abcdef0123456789abcdef');
    expect(classifyStartPayload(KEY, '')).toEqual({ kind: 'bare' });
    expect(classifyStartPayload(KEY, signed)).toEqual({ kind: 'signed', contactId: 'ct_0123456789abcdef0123456789abcdef' });
    expect(classifyStartPayload(KEY, 'vk_ads')).toEqual({ kind: 'source', source: 'vk_ads' });
    expect(classifyStartPayload(KEY, 'yandex-direct-2025')).toEqual({ kind: 'source', source: 'yandex-direct-2025' });
    expect(classifyStartPayload(KEY, 'ref_abcdefgh23')).toEqual({ kind: 'referral', code: 'abcdefgh23' });
    for (const bad of ['VK_ads', '_vk', 'a'.repeat(33), 'ref_short', 'ref_vk_ads', startPayload('another-key', 'ct_0123456789abcdef0123456789abcdef')]) {
      expect(classifyStartPayload(KEY, bad), bad).toEqual({ kind: 'invalid' });
    }
  });

  it('a bare /start creates a contact for the chat with telegram consent, its proof and the source, and emits telegram.subscribed', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8001, '/start')));
    const [c] = await byChat(8001);
    expect(c).toMatchObject({ name: 'Анна', locale: 'ru', email: null, phone: null, test: 0 });
    expect(JSON.parse(c!.attributes)).toEqual({ source: 'telegram' });
    expect(await t.db.selectFrom('consents').select(['channel', 'granted', 'source']).where('contact_id', '=', c!.id).execute())
      .toEqual([{ channel: 'telegram', granted: 1, source: 'telegram:/start' }]);
    expect(await consentLog(c!.id)).toEqual([{ channel: 'telegram', granted: 1, source: 'telegram:/start', wording: '/start', at: T0 }]);
    const [ev] = await events('telegram.subscribed');
    expect(ev).toMatchObject({ contact_id: c!.id, properties: JSON.stringify({ chatId: '8001' }) });
    expect(repliesTo(8001).map((r) => r.body.text)).toEqual([BOT_REPLIES.ru.subscribed]);
  });

  it('/start vk_ads keeps vk_ads as the first source: a later /start with another source does not replace it', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8002, '/start vk_ads')));
    const [c] = await byChat(8002);
    expect(JSON.parse(c!.attributes)).toEqual({ source: 'vk_ads' });
    expect(await consentLog(c!.id)).toEqual([expect.objectContaining({ wording: '/start vk_ads' })]);
    expect(JSON.parse((await events('telegram.subscribed'))[0]!.properties)).toEqual({ chatId: '8002', source: 'vk_ads' });

    // Withdrawn meanwhile, then a new /start from another campaign: a new consent, the first source stays.
    await t.db.updateTable('consents').set({ granted: 0 }).where('contact_id', '=', c!.id).execute();
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8002, '/start tg_ads')));
    expect(await byChat(8002)).toEqual([expect.objectContaining({ id: c!.id, attributes: JSON.stringify({ source: 'vk_ads' }) })]);
    expect(await events('telegram.subscribed')).toHaveLength(2);
  });

  it('a bare /start into a chat a known contact already has binds nothing new and creates nobody', async () => {
    const known = (await upsertContact(t.db, { email: 'anna@example.test', telegramChatId: '8003', consent: { telegram: true } }, 'api', T0)).contact;
    const contacts = await t.db.selectFrom('contacts').select('id').execute();
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8003, '/start')));
    expect(await t.db.selectFrom('contacts').select('id').execute()).toEqual(contacts);
    expect(await events('telegram.subscribed')).toEqual([]);
    expect(repliesTo(8003).map((r) => r.body.text)).toEqual([BOT_REPLIES.ru.alreadySubscribed]);
    expect((await findContact(t.db, { contactId: known.id }))?.telegram_chat_id).toBe('8003');
  });

  it('offers the "share my phone" button after /start when configured, with the configured greeting', async () => {
    const greeted = { ...deps, greeting: { startReply: 'Привет! Это бот школы.', askPhone: true } };
    await handleTelegramUpdate(greeted, asUpdate(tgUpdates.text(8004, '/start')));
    const [reply] = repliesTo(8004);
    expect(reply!.body.text).toBe(`Привет! Это бот школы.\n\n${BOT_REPLIES.ru.askPhone}`);
    expect(reply!.body.reply_markup).toEqual({ keyboard: [[{ text: BOT_REPLIES.ru.phoneButton, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true });
  });

  it('the signed deep link still binds a known contact, merging the chat-only contact a bare /start made', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8005, '/start')));
    const [botOnly] = await byChat(8005);
    const known = (await upsertContact(t.db, { email: 'boris@example.test', name: 'Борис' }, 'api', T0)).contact;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8005, `/start ${startPayload(KEY, known.id)}`)));

    expect(await byChat(8005)).toEqual([expect.objectContaining({ id: known.id, name: 'Борис', email: 'boris@example.test' })]);
    expect(await t.db.selectFrom('contacts').select('id').where('id', '=', botOnly!.id).execute()).toEqual([]);
    // Its events and consent proof are the known contact's now, beside the link's own; its id still finds that contact.
    expect((await events('telegram.subscribed')).map((e) => e.contact_id)).toEqual([known.id, known.id]);
    expect((await consentLog(known.id)).map((l) => l.wording)).toEqual(['/start', '/start']);
    expect((await findContact(t.db, { contactId: botOnly!.id }))?.id).toBe(known.id);
  });

  it('a shared phone is stored in E.164 with SMS consent and its proof, and emits telegram.phone_shared', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8006, '/start')));
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.contact(8006, '79161234567')));
    const [c] = await byChat(8006);
    expect(c!.phone).toBe('+79161234567');
    expect(await consentLog(c!.id)).toEqual([
      { channel: 'sms', granted: 1, source: 'telegram:phone', wording: `${BOT_REPLIES.ru.askPhone} [${BOT_REPLIES.ru.phoneButton}]`, at: T0 },
      expect.objectContaining({ channel: 'telegram' }),
    ]);
    const [ev] = await events('telegram.phone_shared');
    expect(ev).toMatchObject({ contact_id: c!.id, properties: JSON.stringify({ chatId: '8006', merged: false }) });
    expect(repliesTo(8006).at(-1)!.body).toMatchObject({ text: BOT_REPLIES.ru.phoneSaved, reply_markup: { remove_keyboard: true } });
  });

  it('the phone button merges the chat\'s contact into the contact that already has the phone', async () => {
    const known = (await upsertContact(t.db, { email: 'vera@example.test', phone: '+79161230000', name: 'Вера', consent: { email: true } }, 'api', T0)).contact;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8007, '/start vk_ads')));
    const [botOnly] = await byChat(8007);
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.contact(8007, '+7 916 123-00-00')));

    expect(await byChat(8007)).toEqual([expect.objectContaining({ id: known.id, email: 'vera@example.test', phone: '+79161230000', name: 'Вера' })]);
    expect(JSON.parse((await byChat(8007))[0]!.attributes)).toEqual({ source: 'vk_ads' });
    expect(await t.db.selectFrom('contacts').select('id').where('id', '=', botOnly!.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('consents').select(['channel', 'granted']).where('contact_id', '=', known.id).orderBy('channel').execute())
      .toEqual([{ channel: 'email', granted: 1 }, { channel: 'sms', granted: 1 }, { channel: 'telegram', granted: 1 }]);
    expect((await events('telegram.subscribed')).map((e) => e.contact_id)).toEqual([known.id]);
    expect(await events('telegram.phone_shared')).toEqual([expect.objectContaining({ contact_id: known.id, properties: JSON.stringify({ chatId: '8007', merged: true }) })]);
  });

  it('refuses a contact card that is not the user\'s own, and does not merge two different people', async () => {
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.contact(8008, '79161234568', { userId: 999 })));
    expect(await byChat(8008)).toEqual([]);
    expect(repliesTo(8008).map((r) => r.body.text)).toEqual([BOT_REPLIES.ru.phoneNotOwn]);

    const other = (await upsertContact(t.db, { email: 'gleb@example.test', phone: '+79161234568' }, 'api', T0)).contact;
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.text(8008, '/start')));
    const [mine] = await byChat(8008);
    await t.db.updateTable('contacts').set({ email: 'dana@example.test' }).where('id', '=', mine!.id).execute();
    await handleTelegramUpdate(deps, asUpdate(tgUpdates.contact(8008, '79161234568')));
    expect((await byChat(8008)).map((c) => [c.id, c.phone])).toEqual([[mine!.id, null]]);
    expect((await findContact(t.db, { contactId: other.id }))?.phone).toBe('+79161234568');
  });

  it('handles a redelivered phone share once', async () => {
    const update = asUpdate(tgUpdates.contact(8009, '79161234569'));
    await handleTelegramUpdate(deps, update);
    await handleTelegramUpdate(deps, update);
    expect(await events('telegram.phone_shared')).toHaveLength(1);
    expect(await events('telegram.subscribed')).toHaveLength(1);
    expect(await t.db.selectFrom('consent_log').select('id').execute()).toHaveLength(2);
  });
});
