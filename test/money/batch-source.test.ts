import { afterEach, describe, expect, it } from 'vitest';
import { startServedApp, type ServedTestApp } from '../helpers/served-app';
import { leadPlan } from '../http/pages/page-app';

/*
 * POST /api/events/batch records each event's source like POST /api/events does, over a loopback socket: a contact's
 * first source once, its latest source from the batch's last new event that carries one; a duplicate or refused event
 * changes nothing.
 */

let t: ServedTestApp;
afterEach(async () => { await t?.stop(); });

describe('POST /api/events/batch: sources', () => {
  it('records the sources of the batch\'s new events on their contacts, in order, as single events do', async () => {
    t = await startServedApp({ plans: [leadPlan], now: () => Date.parse('2025-03-01T10:00:00Z') });
    const anna = (await t.api('POST', '/api/contacts', { email: 'anna@example.test' })).json.id as string;
    const boris = (await t.api('POST', '/api/contacts', { email: 'boris@example.test', source: { utm_source: 'vk' } })).json.id as string;
    const res = await t.api('POST', '/api/events/batch', {
      events: [
        { contactId: anna, name: 'page.viewed', source: { utm_source: 'Yandex', utm_campaign: 'autumn' }, idempotencyKey: 'k1' },
        { contactId: anna, name: 'page.viewed', source: { referrer: 'https://www.t.me/channel' } },
        { contactId: boris, name: 'page.viewed', source: { utm_source: 7 } }, // refused: stores nothing
        { contactId: anna, name: 'page.viewed', source: { utm_source: 'google' }, idempotencyKey: 'k1' }, // a duplicate: no new source
        { contactId: boris, name: 'page.viewed', source: { utm_source: 'telegram' } },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.json.results.map((r: { duplicate?: boolean; error?: unknown }) => ('error' in r ? 'refused' : r.duplicate))).toEqual([false, false, 'refused', true, false]);
    const a = (await t.api('GET', `/api/contacts/${anna}`)).json;
    expect(a.source).toMatchObject({ key: 'yandex', campaign: 'autumn', first: { utm_source: 'Yandex', key: 'yandex' }, latest: { referrer: 'https://www.t.me/channel', key: 't.me' } });
    const b = (await t.api('GET', `/api/contacts/${boris}`)).json;
    expect(b.source).toMatchObject({ key: 'vk', first: { utm_source: 'vk' }, latest: { utm_source: 'telegram', key: 'telegram' } });
    // The same as a single event would have left.
    const single = (await t.api('POST', '/api/contacts', { email: 'vera@example.test' })).json.id as string;
    await t.api('POST', '/api/events', { contactId: single, name: 'page.viewed', source: { utm_source: 'Yandex', utm_campaign: 'autumn' } });
    expect((await t.api('GET', `/api/contacts/${single}`)).json.source.first).toEqual(a.source.first);
  });
});
