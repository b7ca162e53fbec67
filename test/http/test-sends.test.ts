import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VersionedPlan } from '../../src/db/funnels';
import { createSmtpChannel } from '../../src/channels/email/smtp';
import { createDashboard } from '../../src/http/dashboard/index';
import type { TestSendChannels } from '../../src/http/api/test-sends';
import { startSmtpSink } from '../helpers/smtp-sink';
import { recordingSms, recordingTelegram } from '../helpers/recording-channels';
import { loadExampleFunnel } from '../helpers/example-funnel';
import { DashboardClient, cookieHeader, hiddenCsrf } from '../browser/dashboard-client';
import { createTestApp, expectError, type TestApp } from './test-app';

const PASSWORD = 'test-sends-password';
const SECRET = 'test-sends-secret-0123456789';

describe('POST /api/funnels/:id/touches/:touchId/test', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let webinar: VersionedPlan;
  let t: TestApp;
  let sms: ReturnType<typeof recordingSms>;
  let telegram: ReturnType<typeof recordingTelegram>;
  let channels: TestSendChannels;

  beforeAll(async () => {
    sink = await startSmtpSink();
    webinar = await loadExampleFunnel('webinar-autofunnel');
  });
  afterAll(async () => { await sink.close(); });
  beforeEach(async () => {
    sms = recordingSms(() => 0);
    telegram = recordingTelegram(() => 0);
    channels = {
      email: createSmtpChannel(sink.url), sms: sms.channel, telegram: telegram.channel, mailFrom: 'Дата Старт <school@example.test>',
      publicUrl: 'https://funnels.example.test', secretKey: SECRET, telegramBot: 'datastart_bot',
    };
    t = await createTestApp({ testSend: channels });
    t.deps.funnels.replace([...t.deps.funnels.all(), webinar]);
    sink.mails.length = 0;
  });
  afterEach(async () => { await channels.email.close?.(); await t.close(); });

  /** Rows of every table a real send would write. */
  const footprint = async () => Object.fromEntries(await Promise.all((['deliveries', 'touch_log', 'outbox', 'links', 'webinar_sessions', 'contacts', 'events', 'enrollments'] as const)
    .map(async (table) => [table, Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)])));
  const send = (touchId: string, body: unknown, funnel = 'webinar-autofunnel') => t.call('POST', `/api/funnels/${funnel}/touches/${touchId}/test`, body);

  it('renders the invite for a sample contact and sends it through SMTP to that address only, marked as a test, storing nothing', async () => {
    const before = await footprint();
    const res = await send('invite', { to: { email: 'Marketer@Example.test' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { subject: string; channel: string; to: string; status: string };
    expect(body).toMatchObject({ funnelId: 'webinar-autofunnel', touchId: 'invite', channel: 'email', to: 'marketer@example.test', status: 'delivered' });
    expect(body.subject).toMatch(/^\[Тест\] Анна, вы зарегистрированы: мастер-класс \d+ \S+ в 19:00$/);
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail!.to).toEqual(['marketer@example.test']);
    expect(mail!.subject).toBe(body.subject);
    expect(mail!.headers['x-autofunnel-test']).toBe('webinar-autofunnel/invite');
    expect(mail!.html).toContain('Вы зарегистрированы на бесплатный мастер-класс <b>«Мастер-класс «Как стать аналитиком данных за 6 месяцев»»</b>');
    expect(mail!.html).not.toContain('/t/o/'); // no open pixel, no tracked links: a test counts nowhere
    expect(await footprint()).toEqual(before);
    const stats = (await (await t.call('GET', '/api/funnels/webinar-autofunnel/stats')).json()) as { touches: Array<{ sent: number; outbox: number }> };
    expect(stats.touches.every((x) => x.sent === 0 && x.outbox === 0)).toBe(true);
  });

  it("renders for a given contact with that contact's name, still storing nothing for it", async () => {
    const boris = ((await (await t.call('POST', '/api/contacts', { email: 'boris@example.test', name: 'Борис Петров', attributes: { source: 'vk' } })).json()) as { id: string }).id;
    const before = await footprint();
    const res = await send('remind-3h', { to: { email: 'marketer@example.test' }, contactId: boris });
    expect(res.status).toBe(200);
    expect(sink.mails[0]!.html).toContain('Борис, мастер-класс начнётся через 3 часа — в 19:00.');
    expect(sink.mails[0]!.to).toEqual(['marketer@example.test']);
    expect(await footprint()).toEqual(before);
  });

  it('sends an SMS touch to a phone and a Telegram touch to a chat, each marked «[Тест]»', async () => {
    expect((await send('last-call', { to: { phone: '8 (916) 555-01-02' } })).status).toBe(200);
    expect(sms.sent.map((m) => [m.to, m.text.slice(0, 17)])).toEqual([['+79165550102', '[Тест] Датастарт:']]);
    expect((await send('remind-1h', { to: { telegramChatId: 777 } })).status).toBe(200);
    const [message] = telegram.sent;
    expect(message!.chatId).toBe('777');
    expect(message!.text.split('\n')[0]).toBe('[Тест]');
    expect(message!.text).toContain('⏰ Анна, через час начинаем!');
    expect(message!.buttons).toEqual([[{ text: 'Войти в эфир', url: 'https://live.datastart.example/room/masterclass' }]]);
    // A fallback's content is used when the address is for the fallback's channel.
    expect((await send('remind-1h', { to: { phone: '+79165550103' } })).status).toBe(200);
    expect(sms.sent[1]!.text).toBe('[Тест] Датастарт: через час мастер-класс «Аналитик данных». Ссылка: https://live.datastart.example/room/masterclass');
  });

  it('answers 404 for an unknown funnel, touch or contact and 422 for a bad address or a channel the touch has no content for', async () => {
    await expectError(await send('invite', { to: { email: 'a@example.test' } }, 'nope'), 404, 'not_found');
    await expectError(await send('nope', { to: { email: 'a@example.test' } }), 404, 'not_found');
    await expectError(await send('invite', { to: { email: 'a@example.test' }, contactId: 'ct_nope' }), 404, 'not_found');
    await expectError(await send('invite', { to: { email: 'not-an-email' } }), 422, 'validation_failed');
    await expectError(await send('last-call', { to: { phone: '12' } }), 422, 'validation_failed');
    await expectError(await send('invite', { to: { email: 'a@example.test', phone: '+79165550102' } }), 422, 'validation_failed');
    await expectError(await send('invite', { to: {} }), 422, 'validation_failed');
    const noTelegram = await expectError(await send('invite', { to: { telegramChatId: '1' } }), 422, 'validation_failed');
    expect(noTelegram.error.message).toBe("touch 'invite' has no telegram content (it goes out by email): send the test to such an address");
    await expectError(await send('thank-you', { to: { email: 'a@example.test' } }), 422, 'validation_failed');
    await expectError(await send('invite', { to: { fax: '1' } }), 400, 'bad_request');
    expect(sink.mails).toHaveLength(0);
  });

  it('answers 502 with the reason when the channel refuses the test message', async () => {
    const rejecting = await startSmtpSink({ reject: () => true });
    const app = await createTestApp({ testSend: { ...channels, email: createSmtpChannel(rejecting.url) } });
    app.deps.funnels.replace([webinar]);
    const body = await expectError(await app.call('POST', '/api/funnels/webinar-autofunnel/touches/invite/test', { to: { email: 'a@example.test' } }), 502, 'send_failed');
    expect(body.error.message).toMatch(/^the email channel did not take the test message: /);
    await app.close();
    await rejecting.close();
  });

  it('the dashboard per-touch table sends the same test (session and CSRF) and says it was sent', async () => {
    const dashboard = createDashboard({ db: t.db, funnels: t.deps.funnels, adminPassword: PASSWORD, secretKey: SECRET, testSend: channels, now: t.deps.now });
    const client = new DashboardClient(dashboard, PASSWORD);
    const jar = await client.login();
    const page = await client.page('/dashboard/funnels/webinar-autofunnel?lang=en', jar);
    const action = '/dashboard/funnels/webinar-autofunnel/touches/remind-3h/test';
    expect(page).toContain(`action="${action}"`);
    expect(page).not.toContain('/touches/thank-you/test'); // a page is visited, not sent
    const csrf = hiddenCsrf(page.slice(page.indexOf(action)));
    const post = (fields: Record<string, string>, cookies = jar) => dashboard.request(action, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookies) }, body: new URLSearchParams(fields).toString(),
    });
    expect((await post({ csrf: 'forged', kind: 'email', to: 'marketer@example.test' })).status).toBe(403);
    expect((await post({ csrf, kind: 'email', to: 'marketer@example.test' }, { af_csrf: jar.af_csrf ?? '' })).status).toBe(302); // no session: to the login
    expect(sink.mails).toHaveLength(0);
    const res = await post({ csrf, kind: 'email', to: 'marketer@example.test' });
    expect(res.status).toBe(303);
    const back = res.headers.get('location')!;
    expect(back).toMatch(/^\/dashboard\/funnels\/webinar-autofunnel\?testTouch=remind-3h&testTo=marketer%40example\.test&testChannel=email#touches$/);
    expect(sink.mails.map((m) => m.subject)).toEqual(['[Тест] Сегодня в 19:00: мастер-класс «Аналитик данных за 6 месяцев»']);
    const after = await client.page(`${back.replace('#touches', '')}&lang=en`, jar);
    expect(after).toContain('data-test-send="sent">Test message “remind-3h” sent to marketer@example.test (email). It is not in the stats or the ledger.</p>');
    const bad = await post({ csrf, kind: 'email', to: 'nope' });
    const failed = await client.page(`${bad.headers.get('location')!.replace('#touches', '')}&lang=en`, jar);
    expect(failed).toContain('data-test-send="failed">Test “remind-3h” not sent: to.email is not a valid email</p>');
    expect(await t.db.selectFrom('deliveries').select('id').execute()).toEqual([]);
  });
});
