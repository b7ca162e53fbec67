import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../src/channels/telegram/channel';
import { callbackData } from '../../../src/channels/telegram/callback-data';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram';

const DL = 'dl_0123456789abcdef0123456789abcdef';

describe('telegram channel', () => {
  let tg: FakeTelegram;
  beforeAll(async () => { tg = await startFakeTelegram(); });
  afterAll(async () => { await tg.close(); });
  // Distinct chats per test keep the per-chat pacing of one test out of the others.
  let chat = 5000;
  const nextChat = () => String(++chat);
  const channel = (o: Partial<Parameters<typeof createTelegramChannel>[0]> = {}) =>
    createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, ...o });

  it('sends a text message with parse mode and both kinds of buttons, and reports <chatId>:<message_id>', async () => {
    const chatId = nextChat();
    const text = '<b>Анна</b>, ваш урок готов';
    const result = await channel().send({
      chatId, text, parseMode: 'HTML',
      buttons: [[{ text: 'Открыть урок', url: 'https://school.example/l/abc' }], [{ text: 'Хочу ещё', callbackData: callbackData(DL, 'more') }]],
    }, { deliveryId: DL });
    const call = tg.callsOf('sendMessage').find((c) => c.body.chat_id === chatId);
    expect(call?.encoding).toBe('json');
    expect(call?.body).toEqual({
      chat_id: chatId, text, parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Открыть урок', url: 'https://school.example/l/abc' }], [{ text: 'Хочу ещё', callback_data: callbackData(DL, 'more') }]] },
    });
    expect(result).toEqual({ ok: true, status: 'delivered', providerMessageId: expect.stringMatching(new RegExp(`^${chatId}:\\d+$`)) });
  });

  it('sends plain text without parse_mode or keyboard', async () => {
    const chatId = nextChat();
    const result = await channel().send({ chatId, text: 'Привет! 1+1=2 (это *не* разметка)' }, { deliveryId: DL });
    expect(result.ok).toBe(true);
    expect(tg.callsOf('sendMessage').find((c) => c.body.chat_id === chatId)?.body).toEqual({ chat_id: chatId, text: 'Привет! 1+1=2 (это *не* разметка)' });
  });

  it('sends a photo with the text as its caption, and a document likewise', async () => {
    const chatId = nextChat();
    const photo = await channel().send({ chatId, text: 'Схема курса', parseMode: 'MarkdownV2', photo: 'https://school.example/map.png' }, { deliveryId: DL });
    const doc = await channel({ perChatIntervalMs: 0 }).send({ chatId, text: 'Программа', document: 'https://school.example/program.pdf', buttons: [[{ text: 'Да', callbackData: 'rX:yes' }]] }, { deliveryId: DL });
    expect(tg.callsOf('sendPhoto').find((c) => c.body.chat_id === chatId)?.body).toEqual({
      chat_id: chatId, photo: 'https://school.example/map.png', caption: 'Схема курса', parse_mode: 'MarkdownV2',
    });
    expect(tg.callsOf('sendDocument').find((c) => c.body.chat_id === chatId)?.body).toEqual({
      chat_id: chatId, document: 'https://school.example/program.pdf', caption: 'Программа', reply_markup: { inline_keyboard: [[{ text: 'Да', callback_data: 'rX:yes' }]] },
    });
    expect(photo.ok && doc.ok && photo.providerMessageId !== doc.providerMessageId).toBe(true);
  });

  it('waits out a 429 retry_after and then delivers', async () => {
    const chatId = nextChat();
    tg.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const result = await channel().send({ chatId, text: 'после паузы' }, { deliveryId: DL });
    const tries = tg.callsOf('sendMessage').filter((c) => c.body.chat_id === chatId);
    expect(result.ok).toBe(true);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('returns a long 429 wait to the caller as retryable with retryAfterMs', async () => {
    const chatId = nextChat();
    tg.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 120', retry_after: 120 });
    const started = Date.now();
    const result = await channel().send({ chatId, text: 'x' }, { deliveryId: DL });
    expect(result).toEqual({ ok: false, retryable: true, retryAfterMs: 120_000, reason: expect.stringContaining('429') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers a blocked user as a permanent `blocked` failure', async () => {
    const chatId = nextChat();
    tg.blockChat(chatId);
    const result = await channel().send({ chatId, text: 'x' }, { deliveryId: DL });
    expect(result).toEqual({ ok: false, retryable: false, code: 'blocked', reason: expect.stringContaining('blocked by the user') });
  });

  it('answers "chat not found" as invalid_address, a bad message as rejected, 5xx as retryable', async () => {
    const ch = channel({ perChatIntervalMs: 0 });
    tg.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    tg.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: unclosed tag" });
    tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    expect(await ch.send({ chatId: nextChat(), text: 'x' }, { deliveryId: DL })).toMatchObject({ ok: false, retryable: false, code: 'invalid_address' });
    expect(await ch.send({ chatId: nextChat(), text: '<b>x' }, { deliveryId: DL })).toMatchObject({ ok: false, retryable: false, code: 'rejected' });
    expect(await ch.send({ chatId: nextChat(), text: 'x' }, { deliveryId: DL })).toMatchObject({ ok: false, retryable: true });
  });

  it('answers an unreachable Bot API as retryable instead of throwing', async () => {
    const ch = createTelegramChannel({ token: tg.token, apiRoot: 'http://127.0.0.1:1' });
    expect(await ch.send({ chatId: nextChat(), text: 'x' }, { deliveryId: DL })).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('network') });
  });

  it('refuses a button with neither url nor callback data without calling the API', async () => {
    const chatId = nextChat();
    const result = await channel().send({ chatId, text: 'x', buttons: [[{ text: 'пусто' }]] }, { deliveryId: DL });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'rejected' });
    expect(tg.calls.some((c) => c.body.chat_id === chatId)).toBe(false);
  });

  it('spaces messages to one chat at least a second apart', async () => {
    const chatId = nextChat();
    const ch = channel();
    const results = await Promise.all([1, 2, 3].map((n) => ch.send({ chatId, text: `сообщение ${n}` }, { deliveryId: DL })));
    expect(results.every((r) => r.ok)).toBe(true);
    const sends = tg.callsOf('sendMessage').filter((c) => c.body.chat_id === chatId);
    expect(sends.map((c) => c.body.text)).toEqual(['сообщение 1', 'сообщение 2', 'сообщение 3']);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(990);
    expect(sends[2]!.at - sends[1]!.at).toBeGreaterThanOrEqual(990);
  });

  it('keeps the overall rate under globalPerSecond across chats', async () => {
    const ch = channel({ globalPerSecond: 5 });
    const chats = [1, 2, 3, 4, 5, 6, 7, 8].map(() => nextChat());
    await Promise.all(chats.map((chatId) => ch.send({ chatId, text: 'x' }, { deliveryId: DL })));
    const at = tg.callsOf('sendMessage').filter((c) => chats.includes(String(c.body.chat_id))).map((c) => c.at).sort((a, b) => a - b);
    expect(at).toHaveLength(8);
    // 8 sends at 5/s take at least 7 × 200 ms from the first to the last. Single gaps are not asserted: arrival times
    // jitter by tens of milliseconds under load (the pacer spaces dispatches), so allow half a gap over the whole run.
    expect(at[7]! - at[0]!).toBeGreaterThanOrEqual(7 * 200 - 100);
    // Without pacing all eight would arrive together.
    expect(at[4]! - at[0]!).toBeGreaterThanOrEqual(4 * 200 - 100);
  });

  it('reports the bot username from getMe, asking once', async () => {
    const ch = channel();
    const before = tg.callsOf('getMe').length;
    expect(await ch.username()).toBe('autofunnel_test_bot');
    expect(await ch.username()).toBe('autofunnel_test_bot');
    expect(tg.callsOf('getMe').length - before).toBe(1);
  });
});
