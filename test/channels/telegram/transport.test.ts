import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { upsertContact } from '../../../src/db/contacts';
import { createTelegramChannel, type TelegramBotChannel } from '../../../src/channels/telegram/channel';
import { startPayload } from '../../../src/channels/telegram/start-link';
import { callbackData } from '../../../src/channels/telegram/callback-data';
import { startTelegramPolling } from '../../../src/channels/telegram/polling';
import { registerTelegramWebhook } from '../../../src/channels/telegram/webhook';
import type { TelegramUpdateDeps } from '../../../src/channels/telegram/updates';
import { telegramWebhookRoutes, webhookSecretFor } from '../../../src/http/webhooks/telegram';
import { createTestApp, expectError, T0, type TestApp } from '../../http/test-app';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../../helpers/fake-telegram';
import { eventually } from '../../helpers/ports';
import { asUpdate, KEY, sentDelivery, tgCounts } from './fixtures';

describe('telegram transports', () => {
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
    contactId = (await upsertContact(t.db, { email: 'anna@example.test' }, 'api', T0)).contact.id;
  });
  afterEach(async () => { await t.close(); });

  const chatOf = async () => (await t.db.selectFrom('contacts').select('telegram_chat_id').where('id', '=', contactId).executeTakeFirstOrThrow()).telegram_chat_id;

  describe('webhook', () => {
    const secret = webhookSecretFor(KEY);
    const mount = () => {
      const app = new Hono();
      app.route('/webhooks/telegram', telegramWebhookRoutes({ ...deps, webhookSecret: secret }));
      return app;
    };
    const post = (app: Hono, body: string, headers: Record<string, string> = {}) =>
      app.request('/webhooks/telegram', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    it('answers 401 without or with a wrong secret token and stores nothing', async () => {
      const app = mount();
      const body = JSON.stringify(asUpdate(tgUpdates.text(8001, `/start ${startPayload(KEY, contactId)}`)));
      const before = await tgCounts(t.db);
      await expectError(await post(app, body), 401, 'unauthorized');
      await expectError(await post(app, body, { 'x-telegram-bot-api-secret-token': secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A') }), 401, 'unauthorized');
      await expectError(await post(app, body, { 'x-telegram-bot-api-secret-token': `${secret}x` }), 401, 'unauthorized');
      await new Promise((r) => setTimeout(r, 50));
      expect(await tgCounts(t.db)).toEqual(before);
      expect(await chatOf()).toBeNull();
    });

    it('answers 400 to malformed JSON or a body without update_id', async () => {
      const app = mount();
      await expectError(await post(app, '{"update_id": 1,', { 'x-telegram-bot-api-secret-token': secret }), 400, 'invalid_json');
      await expectError(await post(app, '{"message": {}}', { 'x-telegram-bot-api-secret-token': secret }), 400, 'bad_request');
    });

    it('answers 200 to the right secret and applies the update', async () => {
      const app = mount();
      const res = await post(app, JSON.stringify(asUpdate(tgUpdates.text(8002, `/start ${startPayload(KEY, contactId)}`))), { 'x-telegram-bot-api-secret-token': secret });
      expect(res.status).toBe(200);
      await eventually(async () => (await chatOf()) === '8002', 'the chat to be bound', 5000, 20);
      await eventually(async () => (await t.db.selectFrom('events').select('name').execute()).some((e) => e.name === 'telegram.subscribed'), 'telegram.subscribed', 5000, 20);
    });

    it('registers the webhook with the derived secret token', async () => {
      await registerTelegramWebhook(channel.api, 'https://funnels.example/webhooks/telegram', KEY);
      expect(tg.webhook).toEqual({ url: 'https://funnels.example/webhooks/telegram', secret_token: secret });
      expect(tg.callsOf('setWebhook').at(-1)?.body.allowed_updates).toEqual(['message', 'callback_query', 'my_chat_member']);
    });
  });

  describe('polling', () => {
    it('removes the webhook, applies queued updates in order, and confirms them on stop', async () => {
      await t.db.updateTable('contacts').set({ telegram_chat_id: '8010' }).where('id', '=', contactId).execute();
      await sentDelivery(t, contactId, 'hello', 8010, 70, T0);
      tg.pushUpdate(tgUpdates.text(8010, 'первый ответ'));
      const poller = startTelegramPolling(deps, { timeoutSeconds: 5 });
      await eventually(async () => (await t.db.selectFrom('events').selectAll().where('name', '=', 'hello.replied').execute()).length === 1, 'the first reply', 5000, 20);
      // An update arriving while getUpdates is long-polling is picked up at once.
      tg.pushUpdate(tgUpdates.text(8010, 'второй ответ'));
      await eventually(async () => (await t.db.selectFrom('events').selectAll().where('name', '=', 'hello.replied').execute()).length === 2, 'the second reply', 5000, 20);
      const started = Date.now();
      await poller.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(tg.callsOf('deleteWebhook').length).toBeGreaterThanOrEqual(1);
      expect(tg.pendingUpdates()).toEqual([]);
      const texts = (await t.db.selectFrom('events').select('properties').where('name', '=', 'hello.replied').orderBy('received_at').execute())
        .map((e) => (JSON.parse(e.properties) as { text: string }).text);
      expect(texts.sort()).toEqual(['второй ответ', 'первый ответ']);
    });

    it('logs a failing update and goes on with the next one', async () => {
      // A press on a delivery whose contact is gone: ingesting the click throws, the poller logs it and goes on.
      const orphan = await sentDelivery(t, contactId, 'hello', 8020, 71, T0);
      await t.db.updateTable('deliveries').set({ contact_id: 'ct_gone' }).where('id', '=', orphan).execute();
      tg.pushUpdate(tgUpdates.callback(8020, callbackData(orphan, 'yes'), 71));
      tg.pushUpdate(tgUpdates.text(8021, `/start ${startPayload(KEY, contactId)}`));
      const poller = startTelegramPolling(deps, { timeoutSeconds: 5 });
      await eventually(async () => (await chatOf()) === '8021', 'the second update to bind its chat', 5000, 20);
      await poller.stop();
      expect(t.errors.map((e) => e.msg)).toContain('telegram: update failed, skipped');
      expect(tg.pendingUpdates()).toEqual([]);
    });

    it('stops at once when its signal aborts', async () => {
      const ac = new AbortController();
      const poller = startTelegramPolling(deps, { signal: ac.signal, timeoutSeconds: 20 });
      await eventually(() => tg.callsOf('getUpdates').length > 0, 'a getUpdates call', 5000, 20);
      const started = Date.now();
      ac.abort();
      await poller.stop();
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });
});
