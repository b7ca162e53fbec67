import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectError, T0, type TestApp } from './test-app';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { assignSession } from '../../src/webinars/assign-session';
import { sessionFor } from '../../src/webinars/webinar-rows';
import { webinarRegisterUrl } from '../../src/webinars/template-vars';
import { webinarOpenApiPaths, webinarWebhookToken } from '../../src/http/api/webinars';
import { planWith } from '../webinars/fixtures';

const SECRET = 'webinar-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://funnels.example.test';
const START = '2025-03-05T19:00:00+03:00';
const at = (iso: string) => Date.parse(iso);

describe('http/api/webinars', () => {
  let t: TestApp;
  let anna: string;
  let boris: string;
  const sessions = async () => Number((await t.db.selectFrom('webinar_sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const stored = async () => ({ ...(await t.counts()), sessions: await sessions(), session: await t.db.selectFrom('webinar_sessions').selectAll().orderBy('id').execute() });

  beforeEach(async () => {
    // The real wiring: /api/webinars, /w and /webhooks/webinar come from createApp's public routes.
    t = await createTestApp({ public: { secretKey: SECRET, publicUrl: PUBLIC_URL } });
    await syncWebinars(t.db, [planWith('welcome', [{ id: 'live', startsAt: START }, { id: 'auto', schedule: { times: ['19:00'] }, minLeadMs: 7_200_000 }])], T0);
    anna = ((await (await t.call('POST', '/api/contacts', { email: 'anna@example.ru', phone: '+79161234567', timezone: 'Asia/Vladivostok' })).json()) as { id: string }).id;
    boris = ((await (await t.call('POST', '/api/contacts', { externalId: 'crm-7', email: 'boris@example.ru' })).json()) as { id: string }).id;
  });
  afterEach(() => t.close());

  describe('GET', () => {
    it('lists the webinars and answers one with its session counts', async () => {
      await assignSession(t.db, { webinarId: 'live', contactId: anna, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
      const list = await t.call('GET', '/api/webinars');
      expect(list.status).toBe(200);
      expect(((await list.json()) as Array<{ id: string; kind: string }>).map((w) => [w.id, w.kind])).toEqual([['auto', 'auto'], ['live', 'fixed']]);
      const one = await t.call('GET', '/api/webinars/live');
      expect(await one.json()).toMatchObject({
        id: 'live', funnelId: 'welcome', startsAt: '2025-03-05T16:00:00.000Z', durationMinutes: 120, movedAt: null,
        sessions: { assigned: 1, registered: 0, attended: 0, missed: 0 },
      });
      await expectError(await t.call('GET', '/api/webinars/nope'), 404, 'not_found');
    });

    it('needs the bearer token', async () => {
      const res = await t.app.request('/api/webinars');
      await expectError(res, 401, 'unauthorized');
    });
  });

  describe('PATCH /:id', () => {
    it('moves a fixed webinar, its sessions, and tells the contacts\' active enrollments', async () => {
      await assignSession(t.db, { webinarId: 'live', contactId: anna, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
      await t.call('POST', '/api/funnels/welcome/enrollments', { contactId: anna });
      const res = await t.call('PATCH', '/api/webinars/live', { startsAt: '2025-03-06T20:00:00+03:00' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ sessionsMoved: 1, enrollmentsSignalled: 1, webinar: { startsAt: '2025-03-06T17:00:00.000Z', movedAt: new Date(T0).toISOString() } });
      expect((await sessionFor(t.db, 'live', anna))?.starts_at).toBe(at('2025-03-06T17:00:00Z'));
      expect(t.gateway.signals).toEqual([{ workflowId: `funnel:welcome:${anna}`, event: expect.objectContaining({ name: 'webinar.moved' }) }]);
    });

    it('answers 400, 422 and 404 for bad requests and stores nothing', async () => {
      await assignSession(t.db, { webinarId: 'live', contactId: anna, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
      const before = await stored();
      await expectError(await t.call('PATCH', '/api/webinars/live', '{"startsAt":'), 400, 'invalid_json');
      await expectError(await t.call('PATCH', '/api/webinars/live', {}), 400, 'bad_request');
      await expectError(await t.call('PATCH', '/api/webinars/live', { startsAt: '2025-03-06T20:00:00+03:00', title: 'x' }), 400, 'bad_request');
      await expectError(await t.call('PATCH', '/api/webinars/live', { startsAt: '2025-03-06 20:00' }), 422, 'validation_failed');
      await expectError(await t.call('PATCH', '/api/webinars/live', { startsAt: '2025-03-06T20:00:00' }), 422, 'validation_failed');
      await expectError(await t.call('PATCH', '/api/webinars/live', { startsAt: '2024-01-01T20:00:00Z' }), 422, 'validation_failed');
      await expectError(await t.call('PATCH', '/api/webinars/auto', { startsAt: '2025-03-06T20:00:00Z' }), 422, 'validation_failed');
      await expectError(await t.call('PATCH', '/api/webinars/nope', { startsAt: '2025-03-06T20:00:00Z' }), 404, 'not_found');
      expect(await stored()).toEqual(before);
      expect((await t.call('GET', '/api/webinars/live').then((r) => r.json()))).toMatchObject({ startsAt: '2025-03-05T16:00:00.000Z', movedAt: null });
    });
  });

  describe('POST /:id/attendance', () => {
    it('records JSON attendance: sessions updated (or created), one event per contact, unknown contacts listed', async () => {
      await assignSession(t.db, { webinarId: 'live', contactId: anna, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
      const res = await t.call('POST', '/api/webinars/live/attendance', { records: [
        { email: 'Anna@Example.ru', joined: true, minutes: 87.6, stayedToOffer: true },
        { externalId: 'crm-7', joined: false },
        { phone: '8 (999) 000-00-00', joined: true },
      ] });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ attended: 1, missed: 1, unknown: [{ row: 3, phone: '+79990000000' }], otherSession: [] });
      expect(await sessionFor(t.db, 'live', anna)).toMatchObject({ outcome: 'attended', minutes: 88, stayed_to_offer: 1 });
      expect(await sessionFor(t.db, 'live', boris)).toMatchObject({ outcome: 'missed', minutes: 0, stayed_to_offer: 0, starts_at: at(START) });
      const events = await t.db.selectFrom('events').select(['contact_id', 'name', 'properties', 'idempotency_key']).orderBy('name').execute();
      expect(events.map((e) => ({ ...e, properties: JSON.parse(e.properties) }))).toEqual([
        { contact_id: anna, name: 'webinar.attended', properties: { webinarId: 'live', minutes: 88, stayedToOffer: true }, idempotency_key: `webinar-attendance:live:${anna}` },
        { contact_id: boris, name: 'webinar.missed', properties: { webinarId: 'live' }, idempotency_key: `webinar-attendance:live:${boris}` },
      ]);
      // The same report again: sessions as they are, no second event.
      await t.call('POST', '/api/webinars/live/attendance', { records: [{ email: 'anna@example.ru', joined: true, minutes: 88, stayedToOffer: true }] });
      expect((await t.counts()).events).toBe(2);
    });

    it('reads CSV with ru/en yes/no values, ";" separators and a BOM', async () => {
      const csv = '\uFEFFemail;joined;minutes;stayed_to_offer\r\nanna@example.ru;да;45;нет\r\nboris@example.ru;No;;\r\nnobody@example.ru;yes;10;1\r\n';
      const res = await t.call('POST', '/api/webinars/live/attendance', csv, { 'content-type': 'text/csv; charset=utf-8' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ attended: 1, missed: 1, unknown: [{ row: 3, email: 'nobody@example.ru' }], otherSession: [] });
      expect(await sessionFor(t.db, 'live', anna)).toMatchObject({ outcome: 'attended', minutes: 45, stayed_to_offer: 0 });
      expect(await sessionFor(t.db, 'live', boris)).toMatchObject({ outcome: 'missed' });
    });

    it('refuses a CSV with any bad row: 422 listing every bad row with its line, nothing stored', async () => {
      const before = await stored();
      const csv = 'contact_id,email,joined,minutes\n' +
        `${anna},,yes,30\n` +
        ',not-an-email,yes,10\n' +
        `${boris},,maybe,-5\n` +
        ',,yes,1\n';
      const body = await expectError(await t.call('POST', '/api/webinars/live/attendance', csv, { 'content-type': 'text/csv' }), 422, 'validation_failed');
      const details = body.error.details as Array<{ row: number; line: number; path: string; message: string }>;
      expect([...new Set(details.map((d) => d.row))]).toEqual([2, 3, 4]);
      expect(details.map((d) => [d.line, d.path])).toEqual([[3, 'email'], [4, 'joined'], [4, 'minutes'], [5, '']]);
      expect(body.error.message).toMatch(/nothing was recorded: 3 invalid row/);
      expect(await stored()).toEqual(before);
    });

    it('refuses a CSV with an unknown column or without joined', async () => {
      const before = await stored();
      const a = await expectError(await t.call('POST', '/api/webinars/live/attendance', 'email,joined,score\nanna@example.ru,yes,5\n', { 'content-type': 'text/csv' }), 422, 'validation_failed');
      expect(a.error.details).toEqual([expect.objectContaining({ row: 0, path: 'score' })]);
      await expectError(await t.call('POST', '/api/webinars/live/attendance', 'email,minutes\nanna@example.ru,5\n', { 'content-type': 'text/csv' }), 422, 'validation_failed');
      await expectError(await t.call('POST', '/api/webinars/live/attendance', 'email,joined\n', { 'content-type': 'text/csv' }), 422, 'validation_failed');
      expect(await stored()).toEqual(before);
    });

    it('refuses bad JSON rows (all reported), duplicates and malformed envelopes, storing nothing', async () => {
      const before = await stored();
      const bad = await expectError(await t.call('POST', '/api/webinars/live/attendance', { records: [
        { email: 'anna@example.ru', joined: true },
        { joined: true },
        { email: 'ANNA@example.ru', joined: false },
        { contactId: boris, joined: 'sure', minutes: 'lots', extra: 1 },
      ] }), 422, 'validation_failed');
      expect([...new Set((bad.error.details as Array<{ row: number }>).map((d) => d.row))]).toEqual([2, 3, 4]);
      await expectError(await t.call('POST', '/api/webinars/live/attendance', '[1]'), 400, 'invalid_json');
      await expectError(await t.call('POST', '/api/webinars/live/attendance', { records: 'x' }), 400, 'bad_request');
      await expectError(await t.call('POST', '/api/webinars/live/attendance', { records: [] }), 422, 'validation_failed');
      await expectError(await t.call('POST', '/api/webinars/nope/attendance', { records: [{ contactId: anna, joined: true }] }), 404, 'not_found');
      expect(await stored()).toEqual(before);
    });

    it('with a sessions filter, leaves contacts of another session alone', async () => {
      await assignSession(t.db, { webinarId: 'auto', contactId: anna, contactTimezone: 'Asia/Vladivostok', fallbackTimezone: 'UTC', now: T0 });
      const annaStart = (await sessionFor(t.db, 'auto', anna))!.starts_at;
      expect(annaStart).toBe(at('2025-03-02T09:00:00Z'));
      const res = await t.call('POST', '/api/webinars/auto/attendance', { sessions: '2025-03-01T19:00:00+03:00', records: [{ contactId: anna, joined: true }, { contactId: boris, joined: true, minutes: 5 }] });
      expect(await res.json()).toEqual({ attended: 1, missed: 0, unknown: [], otherSession: [{ row: 1, contactId: anna, sessionStartsAt: '2025-03-02T09:00:00.000Z' }] });
      expect(await sessionFor(t.db, 'auto', anna)).toMatchObject({ outcome: null });
      expect(await sessionFor(t.db, 'auto', boris)).toMatchObject({ outcome: 'attended', minutes: 5, starts_at: at('2025-03-01T16:00:00Z') });
    });
  });

  describe('webhook', () => {
    it('accepts the attendance JSON with the webinar\'s token, refuses a wrong one', async () => {
      const body = JSON.stringify({ records: [{ email: 'anna@example.ru', joined: true, minutes: 60 }] });
      const post = (path: string) => t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await expectError(await post('/webhooks/webinar/live?token=wrong'), 401, 'unauthorized');
      await expectError(await post(`/webhooks/webinar/live?token=${webinarWebhookToken(SECRET, 'auto')}`), 401, 'unauthorized');
      expect((await t.counts()).events).toBe(0);
      const ok = await post(`/webhooks/webinar/live?token=${webinarWebhookToken(SECRET, 'live')}`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ attended: 1 });
      expect(await sessionFor(t.db, 'live', anna)).toMatchObject({ outcome: 'attended', minutes: 60 });
      const one = (await t.call('GET', '/api/webinars/live').then((r) => r.json())) as { webhookUrl: string };
      expect(one.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/webinar/live?token=${webinarWebhookToken(SECRET, 'live')}`);
    });
  });

  describe('registration link', () => {
    const path = (url: string) => url.slice(PUBLIC_URL.length);

    const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;
    const post = (webinarId: string, form: Record<string, string>) => t.app.request(`/w/${webinarId}/register`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
    });

    it('opening the link (GET) shows the webinar in the contact\'s zone and a button, and registers nothing', async () => {
      const before = await stored();
      const url = webinarRegisterUrl(PUBLIC_URL, SECRET, 'auto', anna);
      for (let i = 0; i < 3; i++) {
        const res = await t.app.request(path(url));
        expect(res.status).toBe(200);
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        const page = await res.text();
        // T0 = 10:00Z = 20:00 in Vladivostok; with a 2 h lead the next 19:00 local is tomorrow.
        expect(page).toContain('воскресенье, 2 марта, 19:00');
        expect(page).toContain('<form method="post" action="/w/auto/register">');
        expect(page).toContain(`<input type="hidden" name="t" value="${tokenOf(url)}">`);
        expect(page).toContain('Зарегистрироваться');
        expect(page).not.toContain('Вы зарегистрированы');
      }
      expect(await stored()).toEqual(before);
      expect(await sessionFor(t.db, 'auto', anna)).toBeUndefined();
    });

    it('the page\'s POST registers the contact once, in their own zone, and shows a Russian confirmation with calendar links', async () => {
      const token = tokenOf(webinarRegisterUrl(PUBLIC_URL, SECRET, 'auto', anna));
      const res = await post('auto', { t: token });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const page = await res.text();
      expect(page).toContain('Вы зарегистрированы');
      expect(page).toContain('воскресенье, 2 марта, 19:00');
      expect(page).toContain('Добавить в календарь');
      expect(page).toContain('https://calendar.google.com/calendar/render?action=TEMPLATE');
      expect(page).toContain('/w/auto/calendar.ics?t=');
      expect(await sessionFor(t.db, 'auto', anna)).toMatchObject({ starts_at: at('2025-03-02T09:00:00Z'), registered_at: T0 });
      t.clock.now += 60_000;
      expect((await post('auto', { t: token })).status).toBe(200);
      const events = await t.db.selectFrom('events').selectAll().execute();
      expect(events.map((e) => [e.name, JSON.parse(e.properties), e.idempotency_key])).toEqual([
        ['webinar.registered', { webinarId: 'auto', startsAt: '2025-03-02T09:00:00.000Z' }, `webinar-registered:auto:${anna}`],
      ]);
      expect(await sessionFor(t.db, 'auto', anna)).toMatchObject({ registered_at: T0 });
      // Once registered, opening the link shows the confirmation.
      expect(await (await t.app.request(path(webinarRegisterUrl(PUBLIC_URL, SECRET, 'auto', anna)))).text()).toContain('Вы зарегистрированы');
    });

    it('refuses a POST without a genuine token in a small form, storing nothing', async () => {
      const before = await stored();
      const good = tokenOf(webinarRegisterUrl(PUBLIC_URL, SECRET, 'live', anna));
      expect((await post('live', {})).status).toBe(404);
      expect((await post('live', { t: `${boris}.${good.split('.')[1]}` })).status).toBe(404);
      expect((await t.app.request(`/w/live/register?t=${good}`, { method: 'POST' })).status).toBe(415);
      expect((await t.app.request('/w/live/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ t: good }) })).status).toBe(415);
      expect((await post('live', { t: good, pad: 'x'.repeat(10_000) })).status).toBe(413);
      expect(await stored()).toEqual(before);
    });

    it('serves the contact\'s .ics', async () => {
      const token = new URL(webinarRegisterUrl(PUBLIC_URL, SECRET, 'live', boris)).searchParams.get('t')!;
      const res = await t.app.request(`/w/live/calendar.ics?t=${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8; method=PUBLISH');
      const text = await res.text();
      expect(text).toContain('DTSTART:20250305T160000Z');
      expect(text).toContain(`UID:live.${boris}@autofunnel`);
    });

    it('answers a 404 page for a forged, foreign or truncated token, or an unknown webinar, and stores nothing', async () => {
      const before = await stored();
      const good = new URL(webinarRegisterUrl(PUBLIC_URL, SECRET, 'live', anna)).searchParams.get('t')!;
      const forged = `${boris}.${good.split('.')[1]}`;
      const foreign = new URL(webinarRegisterUrl(PUBLIC_URL, 'another-secret', 'live', anna)).searchParams.get('t')!;
      for (const u of [`/w/live/register?t=${forged}`, `/w/live/register?t=${foreign}`, `/w/live/register?t=${good.slice(0, -2)}`, '/w/live/register',
        `/w/nope/register?t=${good}`, `/w/live/calendar.ics?t=${forged}`]) {
        const res = await t.app.request(u);
        expect(res.status, u).toBe(404);
        expect(await res.text()).toContain('Ссылка недействительна');
      }
      expect(await stored()).toEqual(before);
    });
  });

  it('exports OpenAPI path items for every endpoint', () => {
    expect(Object.keys(webinarOpenApiPaths).sort()).toEqual(['/api/webinars', '/api/webinars/{id}', '/api/webinars/{id}/attendance', '/webhooks/webinar/{webinarId}']);
    expect(Object.keys((webinarOpenApiPaths['/api/webinars/{id}'] as object))).toEqual(['get', 'patch']);
  });
});
