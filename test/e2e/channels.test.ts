import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../helpers/fake-telegram';
import { startFakeSmsRu } from '../helpers/fake-smsru';
import { startFakeVk, type FakeVk } from '../helpers/fake-vk';
import { startSmtpSink } from '../helpers/smtp-sink';
import { eventually, freePort } from '../helpers/ports';
import { startStack, stopStack } from '../helpers/stack';
import { smsWebhookUrl } from '../../src/channels/sms/webhook-url';
import { telegramStartLink } from '../../src/channels/telegram/start-link';
import { BOT_REPLIES } from '../../src/channels/telegram/bot-replies';
import { engineDatabaseEnv } from '../helpers/test-db';

const TOKEN = 'e2e-channels-token-0123456789';
const SECRET_KEY = 'e2e-channels-secret-key-0123456789';
const SMSRU_API_ID = 'E2E-SMSRU-API-ID';
const FUNNEL = 'channels-tour';
const CHAT_ID = 555_000_111;


/** The reply_markup of a Bot API call, whether grammY sent it as JSON or as a form string. */
function replyMarkup(body: Record<string, unknown>): { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } | undefined {
  const m = body.reply_markup;
  return (typeof m === 'string' ? JSON.parse(m) : m) as ReturnType<typeof replyMarkup>;
}

describe('the whole stack with every channel (npm start)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let tg: FakeTelegram;
  let smsru: Awaited<ReturnType<typeof startFakeSmsRu>>;
  let vkPeer: FakeVk;
  let base: string;
  let env: Record<string, string>;
  let stack: ReturnType<typeof startStack> | undefined;

  beforeAll(async () => {
    [smtp, tg, smsru, vkPeer] = await Promise.all([startSmtpSink(), startFakeTelegram({ username: 'school_e2e_bot' }), startFakeSmsRu({ apiId: SMSRU_API_ID }), startFakeVk()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, DATA_DIR: mkdtempSync(join(tmpdir(), 'autofunnel-e2e-channels-')),
      FUNNELS_DIR: resolve('test/e2e/channel-funnels'), SMTP_URL: smtp.url, MAIL_FROM: 'Школа <school@example.test>',
      API_TOKEN: TOKEN, SECRET_KEY, ADMIN_PASSWORD: 'e2e-admin-password',
      TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_UPDATES: 'polling',
      SMS_PROVIDER: 'smsru', SMSRU_API_ID, SMS_API_ROOT: smsru.url,
      VK_GROUP_TOKEN: vkPeer.token, VK_GROUP_ID: '777', VK_API_URL: vkPeer.apiUrl, VK_CONFIRMATION: 'e2e-confirm', VK_CALLBACK_SECRET: 'e2e-vk-secret',
      TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_TASK_QUEUE: 'autofunnel-e2e-channels', LOG_LEVEL: 'info', FREQUENCY_CAP: '',
      ...(await engineDatabaseEnv()), // DATABASE_URL=postgres://… in the PostgreSQL run
    };
  });
  afterAll(async () => {
    if (stack) await stopStack(stack.child);
    await Promise.all([smtp?.close(), tg?.close(), smsru?.close(), vkPeer?.close()]);
    if (env?.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() as any };
  };
  const healthy = async () => (await fetch(`${base}/health`).then((r) => r.json()).catch(() => null)) as any;
  const sends = () => tg.calls.filter((c) => c.method === 'sendMessage');

  it('form → email → bot binding → button → SMS → delivery receipt → conversion, through the real peers', async () => {
    stack = startStack(env);
    const out = () => stack!.output();
    onTestFailed(() => { console.error(`--- the stack's output ---\n${out()}`); });
    await eventually(async () => (await healthy())?.status === 'ok', 'health ok', 90_000, 300)
      .catch((err) => { throw new Error(`${err.message}\n${out()}`); });
    expect(out()).toContain(smsWebhookUrl(base, SECRET_KEY, 'smsru'));
    expect(out()).toContain('telegram updates by long polling');
    expect(out()).not.toContain('dev outbox');
    // VK's Callback API is served by the real stack: the confirmation request gets the configured string.
    const confirm = await fetch(`${base}/webhooks/vk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'confirmation', group_id: 777 }) });
    expect(await confirm.text()).toBe('e2e-confirm');
    expect((await api('GET', '/api/funnels')).body.map((f: { id: string }) => f.id)).toEqual([FUNNEL]);

    // 1. The lead form as JSON → the personal thank-you page with the bot's deep link.
    const submitted = await fetch(`${base}/f/${FUNNEL}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Анна Петрова', email: 'anna@example.test', phone: '8 (916) 123-45-67', consent: { email: true, sms: true } }),
    });
    const form = await submitted.json() as { contactId: string; enrollmentId: string; redirect: string };
    expect(submitted.status, JSON.stringify(form)).toBe(201);
    expect(form.enrollmentId).toMatch(/\S/);
    expect(form.redirect.startsWith(`${base}/p/${FUNNEL}/thank-you?t=`)).toBe(true);
    const page = await fetch(form.redirect);
    expect(page.status).toBe(200);
    const deepLink = telegramStartLink('school_e2e_bot', SECRET_KEY, form.contactId);
    const html = await page.text();
    expect(html).toContain(`href="${deepLink}"`);
    expect(html).toContain('Анна, заявка принята');
    const payload = new URL(deepLink).searchParams.get('start')!;

    const contactAfterForm = (await api('GET', `/api/contacts/${form.contactId}`)).body;
    expect(contactAfterForm).toMatchObject({ email: 'anna@example.test', phone: '+79161234567', telegramChatId: null });
    expect(contactAfterForm.consent).toMatchObject({ email: { granted: true }, sms: { granted: true } });
    expect(contactAfterForm.consent.telegram).toBeUndefined();

    // 2. The welcome email: tracked links only, List-Unsubscribe one-click headers.
    const welcome = await eventually(() => smtp.mails.find((m) => m.subject === 'Добро пожаловать, Анна!'), 'the welcome email', 30_000);
    expect(welcome.to).toEqual(['anna@example.test']);
    expect(welcome.html).toContain(`${base}/t/c/`);
    expect(welcome.html).not.toContain('school.example');
    expect(welcome.headers['list-unsubscribe']).toMatch(new RegExp(`^<${base.replace(/[.]/g, '\\.')}/u/[^>]+>$`));
    expect(welcome.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    // 3. /start <payload> through getUpdates binds the chat; the greeting, then tg-hello with its button.
    expect(sends()).toEqual([]);
    tg.pushUpdate(tgUpdates.text(CHAT_ID, `/start ${payload}`));
    const bound = await eventually(async () => {
      const c = (await api('GET', `/api/contacts/${form.contactId}`)).body;
      return c.telegramChatId === String(CHAT_ID) && c;
    }, 'the chat to be bound', 20_000);
    expect(bound.consent.telegram).toMatchObject({ granted: true, source: 'telegram:/start' });
    const [greeting, hello] = await eventually(() => sends().length >= 2 && sends(), 'the greeting and tg-hello', 30_000);
    // chat_id goes out as the stored string; the Bot API takes either form.
    expect([String(greeting!.body.chat_id), greeting!.body.text]).toEqual([String(CHAT_ID), BOT_REPLIES.ru.subscribed]);
    expect(String(hello!.body.chat_id)).toBe(String(CHAT_ID));
    // The bot's reply and the funnel's message share one pacer: at most one message per second to a chat.
    expect(hello!.at - greeting!.at).toBeGreaterThanOrEqual(990);
    expect(hello!.body).toMatchObject({ text: '<b>Анна</b>, вы с нами! Готовы к первому уроку?', parse_mode: 'HTML' });
    const keyboard = replyMarkup(hello!.body)?.inline_keyboard;
    expect(keyboard?.map((row) => row.map((b) => b.text))).toEqual([['Да']]);
    const yes = keyboard![0]![0]!.callback_data!;
    expect(yes).toMatch(/:yes$/);

    // 4. Pressing "Да" → the SMS goes to SMS.ru for the normalized number.
    expect(smsru.requests).toEqual([]);
    tg.pushUpdate(tgUpdates.callback(CHAT_ID, yes, 2));
    const smsReq = await eventually(() => smsru.requests.find((r) => r.path === '/sms/send'), 'the SMS at SMS.ru', 30_000);
    expect(smsReq.form).toMatchObject({ api_id: SMSRU_API_ID, to: '79161234567', msg: 'Школа: урок 1 уже ждёт вас, Анна!', json: '1' });
    await eventually(() => tg.callsOf('answerCallbackQuery').length === 1, 'the button spinner answered', 10_000);

    const enrollment = async () => (await api('GET', `/api/enrollments/${form.enrollmentId}`)).body;
    const smsDelivery = async () => (await enrollment()).timeline.find((t: any) => t.type === 'delivery' && t.touchId === 'sms-yes');
    const sent = await eventually(async () => { const d = await smsDelivery(); return d?.status === 'sent' && d; }, 'the SMS ledger row as sent', 10_000);
    expect(sent).toMatchObject({ channel: 'sms', recipient: '+79161234567', deliveredAt: null });

    // 5. SMS.ru's delivery report (the fake's first sms_id) → delivered, and the touch event.
    const report = new URLSearchParams({ 'data[0]': `sms_status\n202503-1000001\n103\n${Math.floor(Date.now() / 1000)}` }).toString();
    const postReport = () => fetch(smsWebhookUrl(base, SECRET_KEY, 'smsru'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: report });
    const receipt = await postReport();
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toBe('100');
    const delivered = await eventually(async () => { const d = await smsDelivery(); return d?.status === 'delivered' && d; }, 'the SMS as delivered', 10_000);
    expect(delivered.deliveredAt).toMatch(/^\d{4}-/);
    // SMS.ru repeats a report it thinks was lost: acknowledged again, applied once.
    const again = await postReport();
    expect([again.status, await again.text()]).toEqual([200, '100']);

    // 6. The goal: order.paid converts the enrollment.
    expect((await api('POST', '/api/events', { contactId: form.contactId, name: 'order.paid', value: 9900, idempotencyKey: 'order-e2e-1' })).status).toBe(202);
    const done = await eventually(async () => { const e = await enrollment(); return e.status === 'converted' && e; }, 'the enrollment to convert', 20_000);
    expect(done.convertedAt).toMatch(/^\d{4}-/);
    const deliveries = done.timeline.filter((t: any) => t.type === 'delivery');
    expect(Object.fromEntries(deliveries.map((d: any) => [d.touchId, [d.channel, d.status]]))).toMatchObject({
      // SMTP and the Bot API accept synchronously (delivered at once); the SMS waited for its receipt.
      welcome: ['email', 'delivered'], 'tg-hello': ['telegram', 'delivered'], 'sms-yes': ['sms', 'delivered'],
    });
    expect(deliveries.map((d: any) => d.touchId)).not.toContain('no-bot');
    const events = done.timeline.filter((t: any) => t.type === 'event').map((t: any) => t.name);
    expect(events).toEqual(expect.arrayContaining(['form.submitted', 'telegram.subscribed', 'tg-hello.clicked', 'sms-yes.delivered', 'order.paid']));
    expect(events.filter((n: string) => n === 'sms-yes.delivered')).toHaveLength(1);
    const click = done.timeline.find((t: any) => t.type === 'event' && t.name === 'tg-hello.clicked');
    expect(click.properties).toMatchObject({ button: 'yes', channel: 'telegram' });

    // Nothing doubled and nothing from the branches not taken.
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Добро пожаловать, Анна!']);
    expect(sends()).toHaveLength(2);
    expect(smsru.requests).toHaveLength(1);

    // A clean stop does not sit out the 25 s long poll, and confirms the handled updates to the Bot API.
    const stopping = Date.now();
    expect(await stopStack(stack.child)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(tg.pendingUpdates()).toEqual([]);
  }, 120_000);
});
