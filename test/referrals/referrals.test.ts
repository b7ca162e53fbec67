import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPagesApp, type PagesApp } from '../http/pages/page-app';
import { DAY, expectRejected, T0 } from '../http/test-app';
import { startFakeTelegram, tgUpdates, type FakeTelegram } from '../helpers/fake-telegram';
import { asUpdate } from '../channels/telegram/fixtures';
import { createTelegramChannel, type TelegramBotChannel } from '../../src/channels/telegram/channel';
import { handleTelegramUpdate } from '../../src/channels/telegram/updates';
import { BOT_REPLIES } from '../../src/channels/telegram/bot-replies';
import { REFERRAL_CODE } from '../../src/referrals/referral-codes';

describe('referrals', () => {
  let tg: FakeTelegram;
  let channel: TelegramBotChannel;
  let t: PagesApp;
  beforeAll(async () => {
    tg = await startFakeTelegram();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, perChatIntervalMs: 0 });
  });
  afterAll(async () => { await tg.close(); });
  beforeEach(async () => { t = await createPagesApp(); });
  afterEach(async () => { await t.close(); });

  const post = async (body: Record<string, unknown>) => t.call('POST', '/api/contacts', body);
  const contact = async (body: Record<string, unknown>) => {
    const res = await post(body);
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as { id: string; referralCode: string; referredBy: string | null };
  };
  const eventsOf = (contactId: string, name: string) => t.db.selectFrom('events').select(['name', 'properties', 'value'])
    .where('contact_id', '=', contactId).where('name', '=', name).execute()
    .then((rows) => rows.map((r) => ({ ...r, properties: JSON.parse(r.properties) as Record<string, unknown> })));
  const bot = (u: Parameters<typeof asUpdate>[0]) => handleTelegramUpdate({ ...t.deps, secretKey: 'referral-bot-key-0123456789', channel }, asUpdate(u));

  it('gives every contact a stable referral code that names no contact id', async () => {
    const anna = await contact({ email: 'anna@example.test' });
    expect(anna.referralCode).toMatch(REFERRAL_CODE);
    expect(anna.id).not.toContain(anna.referralCode);
    const again = await t.call('GET', `/api/contacts/${anna.id}`).then((r) => r.json()) as { referralCode: string; referredBy: null };
    expect(again).toMatchObject({ referralCode: anna.referralCode, referredBy: null });
  });

  it('links a chain through the API, the bot and the lead form, and emits referral.signed_up to each referrer', async () => {
    const anna = await contact({ email: 'anna@example.test' });
    const boris = await contact({ email: 'boris@example.test', referredBy: anna.referralCode });
    expect(boris.referredBy).toBe(anna.id);

    await bot(tgUpdates.text(9201, `/start ref_${boris.referralCode}`));
    const vera = await t.db.selectFrom('contacts').selectAll().where('telegram_chat_id', '=', '9201').executeTakeFirstOrThrow();
    expect(JSON.parse(vera.attributes)).toEqual({ source: 'referral' });
    const veraCode = (await t.call('GET', `/api/contacts/${vera.id}`).then((r) => r.json()) as { referralCode: string }).referralCode;

    const form = await t.app.request(`/f/lead?ref=${veraCode}`);
    expect(await form.text()).toContain(`<input type="hidden" name="ref" value="${veraCode}"/>`);
    const submitted = await t.app.request('/f/lead', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: 'Глеб', email: 'gleb@example.test', 'consent.email': true, ref: veraCode }),
    });
    const gleb = (await submitted.json()) as { contactId: string; referral: unknown };
    expect(gleb.referral).toEqual({ linked: true });

    const links = await t.db.selectFrom('referrals').select(['referred_id', 'referrer_id', 'via']).orderBy('at').orderBy('via').execute();
    expect(links).toEqual(expect.arrayContaining([
      { referred_id: boris.id, referrer_id: anna.id, via: 'api' },
      { referred_id: vera.id, referrer_id: boris.id, via: 'telegram' },
      { referred_id: gleb.contactId, referrer_id: vera.id, via: 'form:lead' },
    ]));
    expect(await eventsOf(anna.id, 'referral.signed_up')).toEqual([{ name: 'referral.signed_up', properties: { referredContactId: boris.id, via: 'api' }, value: null }]);
    expect((await eventsOf(boris.id, 'referral.signed_up')).map((e) => e.properties)).toEqual([{ referredContactId: vera.id, via: 'telegram' }]);
    expect((await eventsOf(vera.id, 'referral.signed_up')).map((e) => e.properties)).toEqual([{ referredContactId: gleb.contactId, via: 'form:lead' }]);
  });

  it('refuses a self-referral, a loop and an unknown code with a clear reason, storing nothing', async () => {
    const anna = await contact({ email: 'anna@example.test' });
    const boris = await contact({ email: 'boris@example.test', referredBy: anna.referralCode });
    const vera = await contact({ email: 'vera@example.test', referredBy: boris.id });
    expect(vera.referredBy).toBe(boris.id);

    const self = await expectRejected(t, () => post({ email: 'anna@example.test', name: 'Анна', referredBy: anna.referralCode }), 422, 'self_referral');
    expect(self.error.message).toMatch(/cannot refer itself/);
    const loop = await expectRejected(t, () => post({ email: 'anna@example.test', referredBy: boris.referralCode }), 422, 'referral_loop');
    expect(loop.error.message).toMatch(/loop/);
    await expectRejected(t, () => post({ email: 'anna@example.test', referredBy: vera.referralCode }), 422, 'referral_loop');
    await expectRejected(t, () => post({ email: 'dana@example.test', referredBy: 'zzzzzzzzzz' }), 422, 'unknown_referral_code');
    await expectRejected(t, () => post({ email: 'vera@example.test', referredBy: anna.referralCode }), 409, 'conflict');
    expect(await t.db.selectFrom('referrals').select('referred_id').execute()).toHaveLength(2);
    expect((await t.db.selectFrom('contacts').select('name').where('email', '=', 'anna@example.test').executeTakeFirstOrThrow()).name).toBeNull();
  });

  it('the bot tells a subscriber who opens their own referral link so, and links nobody', async () => {
    await bot(tgUpdates.text(9202, '/start'));
    const me = await t.db.selectFrom('contacts').select('id').where('telegram_chat_id', '=', '9202').executeTakeFirstOrThrow();
    const code = (await t.call('GET', `/api/contacts/${me.id}`).then((r) => r.json()) as { referralCode: string }).referralCode;
    await bot(tgUpdates.text(9202, `/start ref_${code}`));
    expect(tg.sent.filter((m) => m.chatId === '9202').map((m) => m.text)).toEqual([BOT_REPLIES.ru.subscribed, BOT_REPLIES.ru.selfReferral]);
    expect(await t.db.selectFrom('referrals').selectAll().execute()).toEqual([]);
  });

  it('a lead form keeps a referral it cannot link as a note and still signs the person up', async () => {
    const anna = await contact({ email: 'anna@example.test' });
    const res = await t.app.request(`/f/lead?ref=${anna.referralCode}`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: 'Анна', email: 'anna@example.test', 'consent.email': true }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { referral: unknown }).referral).toEqual({ linked: false, reason: 'self_referral' });
  });

  it('emits referral.converted to the referrer when the referred contact reaches a goal, and counts it per funnel', async () => {
    const anna = await contact({ email: 'anna@example.test', name: 'Анна' });
    await t.call('POST', '/api/events', { contactId: anna.id, name: 'signed_up' }); // Анна is in `welcome`
    t.clock.now = T0 + DAY;
    const boris = await contact({ email: 'boris@example.test', referredBy: anna.referralCode });
    const vera = await contact({ email: 'vera@example.test', referredBy: anna.referralCode });
    await t.call('POST', '/api/events', { contactId: boris.id, name: 'signed_up' });
    await t.call('POST', '/api/events', { contactId: vera.id, name: 'signed_up' });
    await t.call('POST', '/api/events', { contactId: boris.id, name: 'order.paid', value: 4900, idempotencyKey: 'order-1' });
    await t.call('POST', '/api/events', { contactId: boris.id, name: 'order.paid', value: 4900, idempotencyKey: 'order-1' });

    const [converted] = await eventsOf(anna.id, 'referral.converted');
    expect(await eventsOf(anna.id, 'referral.converted')).toHaveLength(1);
    expect(converted!.properties).toMatchObject({ referredContactId: boris.id, funnelId: 'welcome', goal: 'order.paid', value: 4900 });

    const stats = await t.call('GET', '/api/funnels/welcome/referrals').then((r) => r.json());
    expect(stats).toEqual({
      funnelId: 'welcome', made: 2, signedUp: 2, converted: 1, revenue: 4900,
      topReferrers: [{ contactId: anna.id, name: 'Анна', referred: 2, converted: 1 }],
    });
    expect(await t.call('GET', '/api/funnels/lead/referrals').then((r) => r.json())).toMatchObject({ made: 0, signedUp: 0, converted: 0, revenue: 0 });
    expect((await t.call('GET', '/api/funnels/nope/referrals')).status).toBe(404);
  });
});
