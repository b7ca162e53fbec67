import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unsubscribeToken, unsubscribeUrl } from '../../../src/tracking/tokens';
import { recordConsent } from '../../../src/consent/record-consent';
import { createTrackingApp, eventsNamed, PUBLIC_URL, SECRET, type TrackingApp } from './fixture';

const form = (fields: Array<[string, string]>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TestMail/1.0' },
  body: new URLSearchParams(fields).toString(),
});

describe('http/tracking unsubscribe', () => {
  let t: TrackingApp;
  let page: string;
  beforeEach(async () => {
    t = await createTrackingApp();
    page = `/u/${unsubscribeToken(SECRET, t.contactId, t.deliveryId)}`;
  });
  afterEach(() => t.close());

  const consents = async () => Object.fromEntries((await t.db.selectFrom('consents').selectAll().where('contact_id', '=', t.contactId).execute())
    .map((c) => [c.channel, { granted: c.granted, source: c.source }]));

  it('shows each channel with its current consent, in Russian by default', async () => {
    await recordConsent(t.db, { contactId: t.contactId, channel: 'sms', granted: false, source: 'api', at: t.clock.now });
    const res = await t.web.request(page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Отписаться от всего');
    expect(html).toMatch(/<input type="checkbox" name="keep" value="email" checked=""\/>/);
    expect(html).toMatch(/<input type="checkbox" name="keep" value="sms" disabled=""\/>/);
    expect(html).toMatch(/<input type="checkbox" name="keep" value="telegram" checked=""\/>/);
    expect(html).toContain('a•••@example.test');
    expect(html).not.toContain('a@example.test');
    expect(html).toContain(`action="${page}?lang=ru"`);
  });

  it('speaks English with ?lang=en or Accept-Language: en', async () => {
    for (const res of [await t.web.request(`${page}?lang=en`), await t.web.request(page, { headers: { 'accept-language': 'en-US,en;q=0.9,ru;q=0.5' } })]) {
      const html = await res.text();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('Unsubscribe from everything');
      expect(html).toContain('value="telegram"');
    }
  });

  it('withdraws email consent on an RFC 8058 one-click POST: consents, consent log, delivery and events', async () => {
    const res = await t.web.request(page, form([['List-Unsubscribe', 'One-Click']]));
    expect(res.status).toBe(200);
    expect(await consents()).toEqual({ email: { granted: 0, source: 'unsubscribe:email' } });
    const log = await t.db.selectFrom('consent_log').selectAll().execute();
    expect(log).toEqual([expect.objectContaining({
      contact_id: t.contactId, channel: 'email', granted: 0, source: 'unsubscribe:email', user_agent: 'TestMail/1.0', at: t.clock.now,
      wording: expect.stringContaining('RFC 8058'),
    })]);
    const delivery = await t.db.selectFrom('deliveries').select('unsubscribed_at').where('id', '=', t.deliveryId).executeTakeFirstOrThrow();
    expect(delivery.unsubscribed_at).toBe(t.clock.now);
    expect((await eventsNamed(t, 'hello.unsubscribed')).map((e) => e.properties)).toEqual([{ funnelId: 'welcome', deliveryId: t.deliveryId, channels: ['email'] }]);
    expect((await eventsNamed(t, 'contact.unsubscribed')).map((e) => e.properties)).toEqual([{ channels: ['email'] }]);

    // A mail client repeating the POST changes nothing more.
    const before = await t.rows();
    expect((await t.web.request(page, form([['List-Unsubscribe', 'One-Click']]))).status).toBe(200);
    expect(await t.rows()).toEqual(before);
  });

  it('withdraws exactly the channels unticked on the page and confirms them', async () => {
    const res = await t.web.request(`${page}?lang=en`, form([['keep', 'email'], ['action', 'save']]));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You have unsubscribed from:');
    expect(html).toContain('<li>Text messages (SMS)</li><li>Telegram messages</li>');
    expect(await consents()).toEqual({ sms: { granted: 0, source: 'unsubscribe:sms' }, telegram: { granted: 0, source: 'unsubscribe:telegram' } });
    expect(await t.db.selectFrom('consent_log').select('channel').orderBy('channel').execute()).toEqual([{ channel: 'sms' }, { channel: 'telegram' }]);
    expect((await eventsNamed(t, 'contact.unsubscribed')).map((e) => e.properties)).toEqual([{ channels: ['sms', 'telegram'] }]);

    const again = await (await t.web.request(page)).text();
    expect(again).toMatch(/value="email" checked=""/);
    expect(again).toMatch(/value="sms" disabled=""/);
  });

  it('"unsubscribe from everything" withdraws every active channel', async () => {
    const res = await t.web.request(page, form([['keep', 'email'], ['keep', 'sms'], ['action', 'all']]));
    expect(await res.text()).toContain('Вы отписались от:');
    expect(Object.values(await consents()).map((c) => c.granted)).toEqual([0, 0, 0]);
    expect((await eventsNamed(t, 'hello.unsubscribed'))[0]!.properties['channels']).toEqual(['email', 'sms', 'telegram']);
  });

  it('works without a delivery in the token (a link from a template outside a send)', async () => {
    const url = unsubscribeUrl(PUBLIC_URL, SECRET, t.contactId);
    expect((await t.web.request(url.slice(PUBLIC_URL.length), form([['List-Unsubscribe', 'One-Click']]))).status).toBe(200);
    expect(await consents()).toEqual({ email: { granted: 0, source: 'unsubscribe:email' } });
    expect(await eventsNamed(t, 'hello.unsubscribed')).toEqual([]);
    expect(await eventsNamed(t, 'contact.unsubscribed')).toHaveLength(1);
  });

  it('refuses forged tokens and unknown contacts with a 404 page, storing nothing', async () => {
    const before = await t.rows();
    const forged = [
      `/u/${unsubscribeToken('wrong-secret', t.contactId, t.deliveryId)}`,
      `/u/${t.contactId}~${t.deliveryId}.AAAAAAAAAAAAAAAAAAAAAA`,
      `/u/${unsubscribeToken(SECRET, 'ct_unknown')}`,
      page.slice(0, -2),
    ];
    for (const path of forged) {
      const get = await t.web.request(path);
      expect(get.status).toBe(404);
      expect(await get.text()).toContain('Ссылка не найдена');
      expect((await t.web.request(path, form([['List-Unsubscribe', 'One-Click']]))).status).toBe(404);
      expect((await t.web.request(path, form([['action', 'all']]))).status).toBe(404);
    }
    expect(await t.rows()).toEqual(before);
    const delivery = await t.db.selectFrom('deliveries').select('unsubscribed_at').where('id', '=', t.deliveryId).executeTakeFirstOrThrow();
    expect(delivery.unsubscribed_at).toBeNull();
  });

  it('answers a POST that is neither one-click nor the page form with 400 and stores nothing', async () => {
    const before = await t.rows();
    expect((await t.web.request(page, form([['List-Unsubscribe', 'Maybe']]))).status).toBe(400);
    expect((await t.web.request(page, { method: 'POST' })).status).toBe(400);
    expect(await t.rows()).toEqual(before);
  });
});
