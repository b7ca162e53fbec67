import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareTrackedEmail } from '../../../src/tracking/prepare-email';
import { openToken } from '../../../src/tracking/tokens';
import { createTrackingApp, eventsNamed, PUBLIC_URL, SECRET, type TrackingApp } from './fixture';

describe('http/tracking open pixel and tracked links', () => {
  let t: TrackingApp;
  beforeEach(async () => { t = await createTrackingApp(); });
  afterEach(() => t.close());

  const path = (url: string) => url.slice(PUBLIC_URL.length);

  it('answers the pixel and stores <touchId>.opened once per delivery', async () => {
    const { html } = await prepareTrackedEmail({ db: t.db, publicUrl: PUBLIC_URL, secretKey: SECRET }, {
      deliveryId: t.deliveryId, contactId: t.contactId, funnelId: 'welcome', touchId: 'hello', html: '<p>Hi</p>', now: t.clock.now,
    });
    const pixel = path(/src="([^"]+\/t\/o\/[^"]+)"/.exec(html!)![1]!);
    for (let i = 0; i < 3; i++) {
      const res = await t.web.request(pixel);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      const gif = new Uint8Array(await res.arrayBuffer());
      expect(new TextDecoder().decode(gif.slice(0, 6))).toBe('GIF89a');
    }
    const opened = await eventsNamed(t, 'hello.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ contact_id: t.contactId, idempotency_key: `open:${t.deliveryId}`, properties: { funnelId: 'welcome', deliveryId: t.deliveryId, channel: 'email' } });
    const delivery = await t.db.selectFrom('deliveries').select('opened_at').where('id', '=', t.deliveryId).executeTakeFirstOrThrow();
    expect(delivery.opened_at).toBe(t.clock.now);
    expect(t.gateway.signals.filter((s) => s.event.name === 'hello.opened')).toHaveLength(1);
  });

  it('answers the pixel for forged tokens but stores nothing', async () => {
    const before = await t.rows();
    const genuine = openToken(SECRET, t.deliveryId);
    for (const token of [openToken('wrong-secret', t.deliveryId), `${t.deliveryId}.AAAAAAAAAAAAAAAAAAAAAA`, t.deliveryId, genuine.slice(0, -1), 'x']) {
      const res = await t.web.request(`/t/o/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
    expect(await t.rows()).toEqual(before);
  });

  it('redirects a tracked link to exactly the stored URL and stores <touchId>.clicked', async () => {
    const target = 'https://school.example/урок?a=1&b=%20x#frag';
    const { html } = await prepareTrackedEmail({ db: t.db, publicUrl: PUBLIC_URL, secretKey: SECRET }, {
      deliveryId: t.deliveryId, contactId: t.contactId, funnelId: 'welcome', touchId: 'hello',
      html: `<a href="https://plain.example/p?x=1">x</a><a href="${target}">y</a>`, now: t.clock.now,
    });
    const [plainHref, idnHref] = [...html!.matchAll(/href="([^"]+)"/g)].map((m) => path(m[1]!));
    const res = await t.web.request(plainHref!);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://plain.example/p?x=1');
    // The target never learns the tracked URL (it carries no token, but the rule is the same for every public link).
    expect([res.headers.get('referrer-policy'), res.headers.get('cache-control')]).toEqual(['no-referrer', 'no-store']);
    const idn = await t.web.request(idnHref!);
    expect(idn.status).toBe(302);
    expect(idn.headers.get('location')).toBe(new URL(target).href);

    const link = await t.db.selectFrom('links').selectAll().where('url', '=', 'https://plain.example/p?x=1').executeTakeFirstOrThrow();
    await t.web.request(plainHref!);
    const clicked = await eventsNamed(t, 'hello.clicked');
    expect(clicked).toHaveLength(2); // one per link: the repeated click on the first is not stored again
    expect(clicked.filter((e) => e.properties['linkId'] === link.id)).toHaveLength(1);
    expect(clicked.find((e) => e.properties['linkId'] === link.id)).toMatchObject({
      idempotency_key: `click:${link.id}`,
      properties: { funnelId: 'welcome', deliveryId: t.deliveryId, url: 'https://plain.example/p?x=1', linkId: link.id, channel: 'email' },
    });
    const delivery = await t.db.selectFrom('deliveries').select(['clicked_at', 'opened_at']).where('id', '=', t.deliveryId).executeTakeFirstOrThrow();
    expect(delivery).toEqual({ clicked_at: t.clock.now, opened_at: t.clock.now });
  });

  it('answers an unknown link id with a 404 page and stores nothing', async () => {
    const before = await t.rows();
    for (const id of ['lk_00000000000000000000000000000000', 'https%3A%2F%2Fevil.example', '..%2F..%2Fu']) {
      const res = await t.web.request(`/t/c/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('Ссылка не найдена');
    }
    expect(await t.rows()).toEqual(before);
  });

  it('never redirects to anything but a stored http(s) URL', async () => {
    await t.db.insertInto('links').values({ id: 'lk_script', delivery_id: t.deliveryId, url: 'javascript:alert(1)', created_at: t.clock.now }).execute();
    const before = await t.rows();
    const res = await t.web.request('/t/c/lk_script');
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(await t.rows()).toEqual(before);
  });
});
