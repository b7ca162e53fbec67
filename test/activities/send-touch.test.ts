import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Db } from '../../src/db/database';
import type { ContactInput } from '../../src/contacts/input';
import type { Plan, TouchStep } from '../../src/dsl/plan';
import type { SendResult, SmsChannel } from '../../src/channels/channel';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';
import { upsertContact } from '../../src/db/contacts';
import { suppress } from '../../src/consent/suppressions';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { parseCallbackData } from '../../src/channels/telegram/callback-data';
import { asSms, email, sms, telegram, webinarInvite } from '../../src/dsl/steps';
import { isHeldOut, sendTouch, type SendTouchDeps, type SendTouchInput } from '../../src/activities/send-touch';
import { recordingEmail } from '../helpers/recording-email';
import { recordingSms, recordingTelegram } from '../helpers/recording-channels';

const PUBLIC = 'https://funnels.example.test';
const H = 3_600_000;
// In the future, so the ledger's clock (max of wall clock and workflow time) is exactly the workflow time.
const T0 = Date.parse('2030-03-12T12:00:00+03:00');

let db: Db;
let mail: ReturnType<typeof recordingEmail>;
let sent: ReturnType<typeof recordingSms>;
let tg: ReturnType<typeof recordingTelegram>;
let deps: SendTouchDeps;
let n = 0;

let fresh: TestDatabase;

beforeEach(async () => {
  fresh = await freshDatabase();
  db = fresh.db;
  mail = recordingEmail();
  sent = recordingSms(() => 0);
  tg = recordingTelegram(() => 0);
  deps = { db, email: mail.channel, sms: sent.channel, telegram: tg.channel, mailFrom: 'School <s@example.test>', publicUrl: PUBLIC, secretKey: 'k'.repeat(32) };
});
afterEach(async () => { await fresh.close(); });

/** A contact (with an active enrollment) and the input that sends `touch` to it. */
async function target(touch: TouchStep, c: Partial<ContactInput> = {}, extra: Partial<SendTouchInput> = {}): Promise<SendTouchInput> {
  const { contact } = await upsertContact(db, { email: `c${++n}@example.test`, name: 'Анна Петрова', ...c } as ContactInput, 'test');
  const enrollmentId = `en_${n}`;
  await db.insertInto('enrollments').values({ id: enrollmentId, funnel_id: 'f', contact_id: contact.id, version: 'v1', workflow_id: `wf${n}`, status: 'active', enrolled_at: T0 } as never).execute();
  return { enrollmentId, funnelId: 'f', contactId: contact.id, funnelName: 'F', touch, trigger: null, scheduledAt: T0, ...extra };
}
const ledger = (id: string) => db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const touchLog = async () => (await db.selectFrom('touch_log').selectAll().orderBy('at').execute()).map((l) => `${l.kind} ${l.reason}${l.until ? ` ${new Date(l.until).toISOString()}` : ''}`);
const count = async (table: 'deliveries' | 'events' | 'suppressions') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('sendTouch', () => {
  it('holds out a deterministic share: the same contacts on every call, a bigger share contains a smaller one', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `ct_${i}`);
    const half = ids.filter((id) => isHeldOut(id, 'promo', 0.5));
    expect(half.length).toBeGreaterThan(5);
    expect(half.length).toBeLessThan(35);
    expect(ids.filter((id) => isHeldOut(id, 'promo', 0.5))).toEqual(half);
    expect(ids.filter((id) => isHeldOut(id, 'promo', 0.2)).every((id) => half.includes(id))).toBe(true);
    expect(ids.some((id) => isHeldOut(id, 'promo', undefined))).toBe(false);

    const touch = email('promo', { subject: 'Скидка', text: 'Только сегодня', holdout: 0.5 });
    const results: string[] = [];
    for (let i = 0; i < 12; i++) {
      const input = await target(touch, { consent: { email: true } });
      const r = await sendTouch(deps, input);
      expect(r.status).toBe(isHeldOut(input.contactId, 'promo', 0.5) ? 'held_out' : 'delivered');
      expect((await ledger(r.deliveryId)).status).toBe(r.status);
      results.push(r.status);
    }
    const heldOut = results.filter((s) => s === 'held_out').length;
    expect(heldOut).toBeGreaterThan(0);
    expect(mail.sent).toHaveLength(12 - heldOut);
    expect(await touchLog()).toEqual(Array(heldOut).fill('held_out holdout'));
  });

  it('falls back to the next channel without consent on the primary, with the fallback’s own text, and logs it', async () => {
    const touch = telegram('tg', { text: 'Telegram: {{ contact.firstName }}', fallback: [asSms('SMS для {{ contact.firstName }}')] });
    const input = await target(touch, { phone: '+79161234567', telegramChatId: '5001', consent: { sms: true } });
    const r = await sendTouch(deps, input);
    expect(r).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(sent.sent.map((m) => [m.to, m.text])).toEqual([['+79161234567', 'SMS для Анна']]);
    expect(tg.sent).toEqual([]);
    expect(await ledger(r.deliveryId)).toMatchObject({ channel: 'sms', planned_channel: 'telegram', recipient: '+79161234567' });
    expect(await touchLog()).toEqual(['fallback telegram: no_consent']);
  });

  it("skips a touch nobody can be reached on, with the primary's reason", async () => {
    const touch = sms('s', { text: 'hi', fallback: [{ channel: 'email', subject: 'x', text: 'hi' }] });
    // The Telegram chat was never asked for consent: the contact may still be reached, so this is a plain skip.
    const r = await sendTouch(deps, await target(touch, { telegramChatId: '5009', consent: { email: false } }));
    expect(r).toMatchObject({ status: 'skipped', reason: 'no_address', channel: 'sms' });
    expect(await touchLog()).toEqual(['fallback email: no_consent', 'skipped no_address']);
    expect([mail.sent, sent.sent]).toEqual([[], []]);
    // Without it, the one channel it has is withdrawn: nobody can reach the contact, and the ledger says so.
    const gone = await sendTouch(deps, await target(touch, { consent: { email: false } }));
    expect(gone).toMatchObject({ status: 'skipped', reason: 'unreachable', channel: 'sms' });
    expect((await touchLog()).slice(2)).toEqual(['skipped unreachable: email: no_consent']);
  });

  it('treats a suppressed address as unusable', async () => {
    await suppress(db, { channel: 'email', address: 'C99@Example.test', reason: 'complaint', at: T0 });
    const input = await target(email('e', { subject: 's', text: 't' }), { email: 'c99@example.test', phone: '+79160000042', consent: { email: true } });
    const r = await sendTouch(deps, input);
    expect(r).toMatchObject({ status: 'skipped', reason: 'suppressed:complaint' });
    expect(mail.sent).toEqual([]);
    // A contact whose every channel is suppressed is unreachable.
    await suppress(db, { channel: 'email', address: 'c98@example.test', reason: 'bounced', at: T0 });
    const only = await target(email('e', { subject: 's', text: 't' }), { email: 'c98@example.test', consent: { email: true } });
    expect(await sendTouch(deps, only)).toMatchObject({ status: 'skipped', reason: 'unreachable' });
    expect(mail.sent).toEqual([]);
  });

  it('suppresses a chat that blocked the bot, stores telegram.blocked undispatched and falls back to SMS, now and later', async () => {
    const touch = telegram('tg', { text: 'hi', fallback: [asSms('by sms')] });
    const c = { phone: '+79160000001', telegramChatId: '7001', consent: { sms: true, telegram: true } };
    tg.blocked.add('7001');
    const input = await target(touch, c);
    const r = await sendTouch(deps, input);
    expect(r).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(await db.selectFrom('suppressions').selectAll().execute()).toMatchObject([{ channel: 'telegram', address: '7001', reason: 'blocked' }]);
    const events = await db.selectFrom('events').selectAll().execute();
    expect(events).toMatchObject([{ contact_id: input.contactId, name: 'telegram.blocked', dispatched_at: null }]);
    expect(JSON.parse(events[0]!.properties)).toEqual({ chatId: '7001', channel: 'telegram' });
    expect(await touchLog()).toEqual(['fallback telegram: Forbidden: bot was blocked by the user']);
    // The next touch does not try Telegram at all.
    tg.blocked.delete('7001');
    const next = await sendTouch(deps, { ...input, touch: telegram('tg2', { text: 'hi', fallback: [asSms('again')] }) });
    expect(next).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(tg.sent).toEqual([]);
    expect(sent.sent.map((m) => m.text)).toEqual(['by sms', 'again']);
    expect(await count('events')).toBe(1);
  });

  it('suppresses a bounced email address and fails the touch', async () => {
    mail = recordingEmail([{ ok: false, retryable: false, code: 'bounced', reason: '550 no such user' }]);
    const input = await target(email('e', { subject: 's', text: 't' }), { email: 'Gone@Example.test', consent: { email: true } });
    const r = await sendTouch({ ...deps, email: mail.channel }, input);
    expect(r).toMatchObject({ status: 'failed', reason: '550 no such user', channel: 'email' });
    expect(await db.selectFrom('suppressions').selectAll().execute()).toMatchObject([{ channel: 'email', address: 'gone@example.test', reason: 'bounced' }]);
    expect(await touchLog()).toEqual(['failed 550 no such user']);
  });

  it('throws a retryable ApplicationFailure on a temporary failure and leaves the row pending; the retry sends once', async () => {
    mail = recordingEmail([{ ok: false, retryable: true, reason: '421 try later', retryAfterMs: 30_000 }]);
    const d = { ...deps, email: mail.channel };
    const input = await target(email('e', { subject: 's', text: 't' }), { consent: { email: true } });
    const env = new MockActivityEnvironment();
    const err = await env.run(() => sendTouch(d, input)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ message: '421 try later', type: 'TemporarySendFailure', nonRetryable: false, nextRetryDelay: 30_000 });
    const row = await db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, sent_at: null });
    expect(await env.run(() => sendTouch(d, input))).toMatchObject({ deliveryId: row.id, status: 'delivered' });
    expect(mail.sent).toHaveLength(1);
    expect(await touchLog()).toEqual([]);
  });

  it('sends again after an attempt that died between the send and its record, and logs that it may have arrived twice', async () => {
    const handedOver: string[] = [];
    // The first attempt's process dies after the relay took the message, before the ledger heard of it.
    const dying = { name: 'dying', send: async (m: { subject: string }) => { handedOver.push(m.subject); return new Promise<SendResult>(() => undefined); } };
    const input = await target(email('e', { subject: 'Урок 1', text: 't' }), { consent: { email: true } });
    void sendTouch({ ...deps, email: dying }, input);
    await expect.poll(() => handedOver.length).toBe(1);
    const claimed = await db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
    expect(claimed).toMatchObject({ status: 'pending', attempts: 1, sending_since: T0 });
    expect(await sendTouch(deps, { ...input, now: T0 + 60_000 })).toMatchObject({ status: 'delivered' });
    expect([...handedOver, ...mail.sent.map((m) => m.subject)]).toEqual(['Урок 1', 'Урок 1']);
    expect(await touchLog()).toEqual(['interrupted interrupted_mid_send']);
    expect(await ledger(claimed.id)).toMatchObject({ status: 'delivered', attempts: 2, sending_since: null });
    expect(await sendTouch(deps, input)).toMatchObject({ status: 'delivered' });
    expect(await touchLog()).toHaveLength(1);
  });

  it('never sends the same touch of an enrollment twice', async () => {
    const input = await target(email('e', { subject: 's', text: 't' }), { consent: { email: true } });
    const a = await sendTouch(deps, input);
    const b = await sendTouch(deps, { ...input, now: T0 + H });
    expect(b).toEqual(a);
    expect(mail.sent).toHaveLength(1);
    expect(await count('deliveries')).toBe(1);
  });

  it('lets only one of two overlapping attempts send; the other backs off as a temporary failure', async () => {
    const input = await target(email('e', { subject: 's', text: 't' }), { consent: { email: true } });
    // The first attempt is held inside its send until the second has run: the two overlap whatever the machine's load.
    let entered = false;
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const held = { ...mail.channel, send: async (...args: Parameters<typeof mail.channel.send>) => { entered = true; await gate; return mail.channel.send(...args); } };
    const first = new MockActivityEnvironment().run(sendTouch, { ...deps, email: held }, input);
    await expect.poll(() => entered).toBe(true);
    const second = new MockActivityEnvironment().run(sendTouch, { ...deps, email: held }, input);
    const secondSettled = await Promise.allSettled([second]);
    open();
    const results = [...(await Promise.allSettled([first])), ...secondSettled];
    expect(mail.sent).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ApplicationFailure);
    expect((rejected.reason as ApplicationFailure).message).toBe('another attempt is sending this touch');
    expect((await db.selectFrom('deliveries').select(['status', 'attempts']).executeTakeFirstOrThrow())).toEqual({ status: 'delivered', attempts: 1 });
  });

  it('lets a first attempt that finds another attempt mid-send back off; only a retry takes the claim over as interrupted', async () => {
    // Attempt A hands the message over and is still waiting for the relay's answer (alive, or dead: nobody knows yet).
    const handedOver: string[] = [];
    const hanging = { name: 'hanging', send: async (m: { subject: string }) => { handedOver.push(m.subject); return new Promise<SendResult>(() => undefined); } };
    const input = await target(email('e', { subject: 'Урок 1', text: 't' }), { consent: { email: true } });
    void new MockActivityEnvironment().run(sendTouch, { ...deps, email: hanging }, input).catch(() => undefined);
    await expect.poll(() => handedOver.length).toBe(1);
    // A concurrent first attempt (not a retry Temporal made after A timed out) must not send beside it.
    const concurrent = await new MockActivityEnvironment().run(sendTouch, deps, input).catch((e: unknown) => e);
    expect(concurrent).toBeInstanceOf(ApplicationFailure);
    expect(concurrent).toMatchObject({ message: 'another attempt is sending this touch', nonRetryable: false });
    expect(mail.sent).toHaveLength(0);
    expect(await touchLog()).toEqual([]);
    // Temporal's retry (attempt 2: A's heartbeat stopped) sends again and logs that the customer may get it twice.
    expect(await new MockActivityEnvironment({ attempt: 2 }).run(sendTouch, deps, { ...input, now: T0 + 60_000 })).toMatchObject({ status: 'delivered' });
    expect([...handedOver, ...mail.sent.map((m) => m.subject)]).toEqual(['Урок 1', 'Урок 1']);
    expect(await touchLog()).toEqual(['interrupted interrupted_mid_send']);
  });

  it('defers a touch outside the send window once, and sends it at the opening', async () => {
    const late = Date.parse('2030-03-12T23:00:00+03:00');
    const opening = Date.parse('2030-03-13T09:00:00+03:00');
    const settings = { timezone: 'Europe/Moscow', policy: { sendWindow: { from: '09:00', to: '21:00' }, priority: 0 } };
    const input = await target(email('e', { subject: 's', text: 't' }), { consent: { email: true } }, { scheduledAt: late, settings });
    const first = await sendTouch(deps, input);
    expect(first).toMatchObject({ status: 'deferred', reason: 'send_window', until: opening });
    expect(await sendTouch(deps, input)).toEqual(first);
    expect(await ledger(first.deliveryId)).toMatchObject({ status: 'deferred', deferred_until: opening, sent_at: null });
    expect(await touchLog()).toEqual([`deferred send_window ${new Date(opening).toISOString()}`]);
    expect(mail.sent).toEqual([]);
    const later = await sendTouch(deps, { ...input, now: opening });
    expect(later).toMatchObject({ deliveryId: first.deliveryId, status: 'delivered' });
    expect(await ledger(first.deliveryId)).toMatchObject({ status: 'delivered', sent_at: opening, deferred_until: null, scheduled_at: late });
    expect(mail.sent).toHaveLength(1);
  });

  it("uses the contact's own zone for the window", async () => {
    const settings = { timezone: 'Europe/Moscow', policy: { sendWindow: { from: '09:00', to: '21:00' }, priority: 0 } };
    // 12:00 in Moscow is 19:00 in Vladivostok (inside) and 13:00 UTC is 23:00 there (closed until 09:00 = 23:00 UTC).
    const vlad = { consent: { email: true }, timezone: 'Asia/Vladivostok' };
    expect(await sendTouch(deps, await target(email('a', { subject: 's', text: 't' }), vlad, { settings }))).toMatchObject({ status: 'delivered' });
    const at13 = Date.parse('2030-03-12T13:00:00Z');
    const r = await sendTouch(deps, await target(email('b', { subject: 's', text: 't' }), vlad, { settings, scheduledAt: at13 }));
    expect(r).toMatchObject({ status: 'deferred', until: Date.parse('2030-03-12T23:00:00Z') });
  });

  it("records an SMS's segments and cost from the provider", async () => {
    const billed: SmsChannel = { name: 'billed', send: async (): Promise<SendResult> => ({ ok: true, providerMessageId: 'p-77', status: 'sent', segments: 3, cost: 7.5 }) };
    const r = await sendTouch({ ...deps, sms: billed }, await target(sms('s', { text: 'x'.repeat(200) }), { phone: '+79160000002', consent: { sms: true } }));
    expect(await ledger(r.deliveryId)).toMatchObject({ status: 'sent', channel: 'sms', provider_message_id: 'p-77', segments: 3, cost: 7.5, sent_at: T0 });
  });

  it('sends email with a signed List-Unsubscribe and every external link rewritten to a tracked one (with UTM)', async () => {
    const touch = email('offer', { subject: 'Offer', html: '<p><a href="https://shop.example.com/buy?x=1">Купить</a></p>' });
    const input = await target(touch, { consent: { email: true } }, { settings: { timezone: 'Europe/Moscow', utm: { source: 'email', campaign: 'spring' } } });
    const r = await sendTouch(deps, input);
    const msg = mail.sent[0]!;
    expect(msg.headers?.['List-Unsubscribe']).toMatch(new RegExp(`^<${PUBLIC}/.+>`));
    expect(msg.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(msg.html).not.toContain('shop.example.com');
    const id = new RegExp(`href="${PUBLIC}/t/c/([^"]+)"`).exec(msg.html ?? '')?.[1];
    const link = await db.selectFrom('links').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ delivery_id: r.deliveryId, url: 'https://shop.example.com/buy?x=1&utm_source=email&utm_campaign=spring' });
  });

  it('makes a Telegram URL button a tracked link and a plain button callback data naming the delivery', async () => {
    const touch = telegram('tg', { text: 'Выбор', buttons: [{ id: 'yes', text: 'Да' }, { id: 'site', text: 'Сайт', url: 'https://example.com/page' }] });
    const r = await sendTouch(deps, await target(touch, { telegramChatId: '9001', consent: { telegram: true } }));
    const [[yes], [site]] = tg.sent[0]!.buttons as [[{ text: string; callbackData?: string; url?: string }], [{ text: string; url?: string }]];
    expect(yes.text).toBe('Да');
    expect(parseCallbackData(yes.callbackData)).toEqual({ deliveryId: r.deliveryId, buttonId: 'yes' });
    const linkId = site.url?.replace(`${PUBLIC}/t/c/`, '');
    expect(site.url).toBe(`${PUBLIC}/t/c/${linkId}`);
    expect(await db.selectFrom('links').select(['url', 'delivery_id']).where('id', '=', linkId!).executeTakeFirst()).toEqual({ url: 'https://example.com/page', delivery_id: r.deliveryId });
  });

  it('renders Telegram button texts and URLs as Liquid and leaves out a button whose link is empty', async () => {
    const touch = telegram('tg', {
      text: 'Предложение',
      buttons: [[{ id: 'offer', text: '{{ contact.firstName }}, ваша цена', url: '{{ links.pages.offer }}' }], [{ id: 'bot', text: 'Бот', url: '{{ links.telegram }}' }]],
    });
    await sendTouch(deps, await target(touch, { telegramChatId: '9002', consent: { telegram: true } }, { settings: { timezone: 'Europe/Moscow', pageIds: ['offer'] } }));
    const buttons = tg.sent[0]!.buttons!;
    expect(buttons.map((row) => row.map((b) => b.text))).toEqual([['Анна, ваша цена']]); // no bot configured: no deep link, no button
    const linkId = buttons[0]![0]!.url!.replace(`${PUBLIC}/t/c/`, '');
    const link = await db.selectFrom('links').select('url').where('id', '=', linkId).executeTakeFirstOrThrow();
    expect(link.url).toMatch(new RegExp(`^${PUBLIC}/p/f/offer\\?t=`));
  });

  it("assigns the contact's webinar session on an email invite and attaches an .ics", async () => {
    const starts = '2030-03-14T19:00:00+03:00';
    const plan = { id: 'w', webinars: [{ id: 'masterclass', title: 'Мастер-класс', startsAt: starts, minLeadMs: 0, durationMs: 2 * H, joinUrl: 'https://meet.example.test/mc' }] } as Plan;
    await syncWebinars(db, [plan], T0);
    const touch = webinarInvite('invite', { webinar: 'masterclass', via: 'email', subject: '{{ webinar.title }} в {{ webinar.time }}', text: 'Ссылка: {{ webinar.joinUrl }}' });
    const input = await target(touch, { consent: { email: true } }, { settings: { timezone: 'Europe/Moscow', webinar: plan.webinars![0] } });
    expect(await sendTouch(deps, input)).toMatchObject({ status: 'delivered', channel: 'email' });
    expect(await db.selectFrom('webinar_sessions').select(['webinar_id', 'contact_id', 'starts_at']).execute())
      .toEqual([{ webinar_id: 'masterclass', contact_id: input.contactId, starts_at: Date.parse(starts) }]);
    const msg = mail.sent[0]!;
    expect(msg.subject).toBe('Мастер-класс в 19:00');
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments![0]).toMatchObject({ filename: 'masterclass.ics', contentType: expect.stringContaining('text/calendar') });
    expect(msg.attachments![0]!.content).toMatch(/BEGIN:VCALENDAR[\s\S]*DTSTART:20300314T160000Z/);
  });
});
