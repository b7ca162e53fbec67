import { afterEach, describe, expect, it } from 'vitest';
import { startServedApp, SERVED, type ServedTestApp } from '../helpers/served-app';
import { leadPlan } from '../http/pages/page-app';
import { pageUrl } from '../../src/pages/page-url';
import { storeLinks } from '../../src/tracking/links';

/*
 * Page-click credit, over a loopback socket: a page reached through a tracked link in a message credits that message's
 * click (the click redirect names the link, the page's ledger row keeps the message); a page opened directly keeps
 * its own credit, and a link of another contact's message credits no one.
 */

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00Z');

let t: ServedTestApp;
afterEach(async () => { await t?.stop(); });

type Touch = { touchId: string; converted: number; revenue: number };

async function setUp() {
  let clock = T0;
  t = await startServedApp({ plans: [leadPlan], now: () => clock });
  const enroll = async (email: string) => {
    const contactId = (await t.api('POST', '/api/contacts', { email })).json.id as string;
    const enrollmentId = (await t.api('POST', '/api/funnels/lead/enrollments', { contactId })).json.enrollmentId as string;
    return { contactId, enrollmentId };
  };
  /** The email `hello` sent at T0 + 1h with a tracked link to the contact's own `thanks` page; answers the link id. */
  const emailWithPageLink = async (e: { contactId: string; enrollmentId: string }, channel = 'email') => {
    const id = `dl_hello_${e.enrollmentId}`;
    await t.db.insertInto('deliveries').values({
      id, enrollment_id: e.enrollmentId, funnel_id: 'lead', contact_id: e.contactId, touch_id: 'hello', channel, status: 'sent', reason: null,
      recipient: 'x', subject: 'Привет', provider_message_id: null, attempts: 1, scheduled_at: T0 + HOUR, created_at: T0 + HOUR,
      sent_at: T0 + HOUR, delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null,
    }).execute();
    const url = pageUrl(SERVED.publicUrl, SERVED.secretKey, 'lead', 'thanks', e.contactId);
    return { linkId: (await storeLinks(t.db, id, [url], T0 + HOUR)).get(url)!, url };
  };
  const at = (ms: number) => { clock = ms; };
  return { enroll, emailWithPageLink, at };
}

const statsOf = async (model: string) => (await t.api('GET', `/api/funnels/lead/stats?model=${model}`)).json as { touches: Touch[] };
const touch = (body: { touches: Touch[] }, id: string) => body.touches.find((x) => x.touchId === id);

describe('page-click credit', () => {
  it('a page reached through the email\'s tracked link credits the email, under every model', async () => {
    const { enroll, emailWithPageLink, at } = await setUp();
    const anna = await enroll('anna@example.test');
    const { linkId } = await emailWithPageLink(anna);
    at(T0 + 2 * HOUR);
    const click = await t.api('GET', `/t/c/${linkId}`, undefined, { authorization: null });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get('location')!);
    expect(location.origin).toBe(SERVED.publicUrl);
    expect(location.searchParams.get('via')).toBe(linkId);
    at(T0 + 2 * HOUR + 5_000);
    expect((await t.api('GET', `${location.pathname}${location.search}`, undefined, { authorization: null })).status).toBe(200);
    const page = await t.db.selectFrom('deliveries').select(['via_delivery_id', 'opened_at']).where('touch_id', '=', 'thanks').executeTakeFirstOrThrow();
    expect(page).toEqual({ via_delivery_id: `dl_hello_${anna.enrollmentId}`, opened_at: T0 + 2 * HOUR + 5_000 });
    at(T0 + 3 * HOUR);
    expect((await t.api('POST', '/api/events', { contactId: anna.contactId, name: 'order.paid', value: 500 })).status).toBe(202);
    for (const model of ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based']) {
      const body = await statsOf(model);
      expect(touch(body, 'hello'), model).toMatchObject({ converted: 1, revenue: 500 });
      expect(touch(body, 'thanks')?.converted ?? 0, model).toBe(0);
    }
  });

  it('a page opened directly keeps its credit; another contact\'s link in the address credits no one', async () => {
    const { enroll, emailWithPageLink, at } = await setUp();
    const anna = await enroll('anna@example.test');
    const boris = await enroll('boris@example.test');
    await emailWithPageLink(anna);
    const borisLink = await emailWithPageLink(boris);
    at(T0 + 2 * HOUR);
    const annaPage = new URL(pageUrl(SERVED.publicUrl, SERVED.secretKey, 'lead', 'thanks', anna.contactId));
    // Anna's own page with Boris's link id: not a link of her enrollment's messages.
    expect((await t.api('GET', `${annaPage.pathname}${annaPage.search}&via=${borisLink.linkId}`, undefined, { authorization: null })).status).toBe(200);
    expect((await t.db.selectFrom('deliveries').select('via_delivery_id').where('touch_id', '=', 'thanks').executeTakeFirstOrThrow()).via_delivery_id).toBeNull();
    at(T0 + 3 * HOUR);
    await t.api('POST', '/api/events', { contactId: anna.contactId, name: 'order.paid', value: 500 });
    const last = await statsOf('last_touch');
    expect(touch(last, 'thanks')).toMatchObject({ converted: 1, revenue: 500 });
    expect(touch(last, 'hello')).toMatchObject({ converted: 0 });
    expect(touch(await statsOf('linear'), 'hello')).toMatchObject({ converted: 0.5 });
  });

  it('a link to anything but one of our pages is redirected unchanged', async () => {
    const { enroll, at } = await setUp();
    const anna = await enroll('anna@example.test');
    await t.db.insertInto('deliveries').values({
      id: 'dl_x', enrollment_id: anna.enrollmentId, funnel_id: 'lead', contact_id: anna.contactId, touch_id: 'hello', channel: 'email', status: 'sent',
      reason: null, recipient: 'x', subject: null, provider_message_id: null, attempts: 1, scheduled_at: T0, created_at: T0, sent_at: T0,
      delivered_at: null, opened_at: null, clicked_at: null, replied_at: null, failed_at: null,
    }).execute();
    const urls = ['https://shop.example.test/p/lead/thanks?a=1', `${SERVED.publicUrl}/p/lead/thanks/more`];
    const links = await storeLinks(t.db, 'dl_x', urls, T0);
    at(T0 + HOUR);
    for (const url of urls) {
      const res = await t.api('GET', `/t/c/${links.get(url)}`, undefined, { authorization: null });
      expect(res.headers.get('location'), url).toBe(url);
    }
  });
});
