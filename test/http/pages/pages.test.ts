import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../../src/db/contacts';
import { enroll } from '../../../src/engine/enroll';
import { pageUrl } from '../../../src/http/pages/index';
import { verifyPageToken } from '../../../src/pages/page-url';
import { signToken } from '../../../src/security/signed-token';
import { T0 } from '../test-app';
import { createPagesApp, PUBLIC_URL, SECRET, styleNonces, type PagesApp } from './page-app';

let t: PagesApp;
let contactId: string;

/** The path (with query) of a personal page link. */
const pathOf = (url: string) => url.slice(PUBLIC_URL.length);
const link = (pageId: string, funnelId = 'lead', id = contactId) => pathOf(pageUrl(PUBLIC_URL, SECRET, funnelId, pageId, id));

beforeEach(async () => {
  t = await createPagesApp();
  const { contact } = await upsertContact(t.db, {
    email: 'anna@example.ru', name: '<b>Анна</b> Петрова', attributes: { city: 'Томск & <Север>' },
  }, 'api', T0);
  contactId = contact.id;
});
afterEach(async () => t.close());

describe('pageUrl', () => {
  it('builds /p/<funnel>/<page>?t=<token signed for that page> under the public URL', () => {
    const url = pageUrl('https://school.example/', SECRET, 'lead', 'thanks', 'ct_1');
    expect(url).toBe(`https://school.example/p/lead/thanks?t=${signToken(SECRET, 'page:lead:thanks', 'ct_1')}`);
    const token = new URL(url).searchParams.get('t');
    expect(verifyPageToken(SECRET, 'lead', 'thanks', token)).toBe('ct_1');
    expect(verifyPageToken(SECRET, 'lead', 'bonus', token)).toBeNull();
  });
});

describe('GET /p/:funnelId/:pageId', () => {
  it('renders the page for the token’s contact with every variable escaped, inside the public layout', async () => {
    const res = await t.app.request(link('thanks'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('<title>Спасибо, &lt;b&gt;Анна&lt;/b&gt;!</title>');
    expect(html).toContain('Здравствуйте, &lt;b&gt;Анна&lt;/b&gt; Петрова! Город: Томск &amp; &lt;Север&gt;.');
    expect(html).not.toContain('<b>Анна</b>');
    // links.pages.<id> is the contact's own signed link to the other page
    expect(html).toContain(`href="${pageUrl(PUBLIC_URL, SECRET, 'lead', 'bonus', contactId)}"`);
    expect(html).not.toContain('Telegram');
    expect(html).toContain('class="steps"');
  });

  it('sends a CSP whose style nonce is the stylesheet’s, no Referer, no caching, no indexing', async () => {
    const res = await t.app.request(link('thanks'));
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    const nonces = styleNonces(await res.text(), csp);
    expect(nonces.inPage).toBeTruthy();
    expect(nonces.inPage).toBe(nonces.inHeader);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-robots-tag')).toContain('noindex');
  });

  it('records the first view once: the <page>.viewed event, a signal, and the ledger row with opened_at', async () => {
    const { enrollment } = await enroll(t.deps, 'lead', contactId);
    t.clock.now = T0 + 60_000;
    expect((await t.app.request(link('thanks'))).status).toBe(200);

    const events = await t.db.selectFrom('events').selectAll().where('name', '=', 'thanks.viewed').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.properties)).toEqual({ funnelId: 'lead', channel: 'page' });
    expect(events[0]!.idempotency_key).toBe(`page-view:lead:thanks:${contactId}`);
    expect(t.gateway.signals.map((s) => s.event.name)).toEqual(['thanks.viewed']);
    const rows = await t.db.selectFrom('deliveries').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      enrollment_id: enrollment.enrollmentId, funnel_id: 'lead', contact_id: contactId, touch_id: 'thanks', channel: 'page',
      planned_channel: 'page', status: 'delivered', sent_at: T0 + 60_000, delivered_at: T0 + 60_000, opened_at: T0 + 60_000,
    });

    t.clock.now = T0 + 3_600_000;
    const before = await t.allCounts();
    expect((await t.app.request(link('thanks'))).status).toBe(200);
    expect(await t.allCounts()).toEqual(before);
    const again = await t.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
    expect(again.opened_at).toBe(T0 + 60_000);
  });

  it('sets opened_at on the thank-you row the form wrote, and shows the triggering event', async () => {
    const trigger = await t.db.insertInto('events').values({
      id: 'ev_trigger', contact_id: contactId, name: 'form.submitted', properties: '{"funnelId":"lead"}', value: null,
      idempotency_key: null, occurred_at: T0, received_at: T0, dispatched_at: T0,
    }).returningAll().executeTakeFirstOrThrow();
    const { enrollment } = await enroll(t.deps, 'lead', contactId, trigger);
    await t.db.insertInto('deliveries').values({
      id: 'dl_form', enrollment_id: enrollment.enrollmentId, funnel_id: 'lead', contact_id: contactId, touch_id: 'thanks', channel: 'page',
      planned_channel: 'page', status: 'delivered', attempts: 1, scheduled_at: T0, created_at: T0, sent_at: T0, delivered_at: T0, opened_at: null,
    }).execute();
    t.clock.now = T0 + 5_000;
    const html = await (await t.app.request(link('thanks'))).text();
    expect(html).toContain('<p class="trigger">form.submitted</p>');
    const row = await t.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: 'dl_form', opened_at: T0 + 5_000, sent_at: T0 });
  });

  it('uses the latest enrollment of the funnel when the contact went through it twice', async () => {
    const first = await enroll(t.deps, 'lead', contactId);
    await t.db.updateTable('enrollments').set({ status: 'exited', finished_at: T0 }).execute();
    t.clock.now = T0 + 1000;
    const second = await enroll(t.deps, 'lead', contactId);
    expect(second.enrollment.enrollmentId).not.toBe(first.enrollment.enrollmentId);
    await t.app.request(link('thanks'));
    const rows = await t.db.selectFrom('deliveries').select('enrollment_id').execute();
    expect(rows).toEqual([{ enrollment_id: second.enrollment.enrollmentId }]);
  });

  it('records the view event but no ledger row for a contact never enrolled in the funnel', async () => {
    expect((await t.app.request(link('bonus'))).status).toBe(200);
    expect(await t.db.selectFrom('events').select('name').execute()).toEqual([{ name: 'bonus.viewed' }]);
    expect((await t.allCounts()).deliveries).toBe(0);
  });

  it('puts links from pageLinks and telegramLink into the template', async () => {
    t.pageDeps.pageLinks = async (contact, funnelId) => ({ payment: `https://pay.example/?c=${contact.id}&f=${funnelId}` });
    t.pageDeps.telegramLink = async (id) => `https://t.me/school_bot?start=${id}`;
    const html = await (await t.app.request(link('thanks'))).text();
    expect(html).toContain(`href="https://t.me/school_bot?start=${contactId}"`);
    expect(html).toContain(`href="https://pay.example/?c=${contactId}&amp;f=lead"`);
  });

  it('answers a forged, foreign or missing token with the 404 page and stores nothing', async () => {
    await enroll(t.deps, 'lead', contactId);
    const good = new URL(PUBLIC_URL + link('thanks')).searchParams.get('t')!;
    const paths = [
      '/p/lead/thanks',
      '/p/lead/thanks?t=',
      `/p/lead/thanks?t=${contactId}`,
      `/p/lead/thanks?t=${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
      `/p/lead/thanks?t=${signToken('another-secret', 'page:lead:thanks', contactId)}`,
      link('bonus').replace('/bonus?', '/thanks?'), // signed for another page
      `/p/lead/thanks?t=${signToken(SECRET, 'page:lead:thanks', 'ct_nobody')}`, // a contact that does not exist
    ];
    const before = await t.allCounts();
    for (const path of paths) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('Страница не найдена');
      expect(html).not.toContain('Анна');
    }
    expect(await t.allCounts()).toEqual(before);
    expect(t.gateway.signals).toEqual([]);
  });

  it('answers an unknown page or funnel with the 404 page', async () => {
    for (const path of [link('nope'), link('thanks', 'nofunnel'), link('hello'), '/p/lead', '/p/welcome/thanks']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('Страница не найдена');
    }
    expect((await t.allCounts()).events).toBe(0);
  });

  it('shows a generic error page (and logs) when a page template cannot be rendered', async () => {
    const plan = t.deps.funnels.get('lead')!.plan;
    t.deps.funnels.replace([{ plan: { ...plan, pages: [{ id: 'thanks', title: 'x', html: '{% if contact.name %}never closed' }] }, version: 'broken' }]);
    const res = await t.app.request(link('thanks'));
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('Что-то пошло не так');
    expect((await t.allCounts()).events).toBe(0);
  });
});
