import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { freshDatabase, type TestDatabase } from '../helpers/test-db';
import { prepareTrackedEmail } from '../../src/tracking/prepare-email';
import { unsubscribeUrl, verifyOpenToken, verifyUnsubscribeToken } from '../../src/tracking/tokens';

const SECRET = 'secret-for-prepare-email';
const PUBLIC = 'https://go.example.test/';
const T = Date.parse('2025-03-01T10:00:00Z');

describe('tracking/prepare-email', () => {
  let fresh: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase();
    db = fresh.db;
  });
  afterEach(async () => {
    await fresh.close();
  });

  const deps = () => ({ db, publicUrl: PUBLIC, secretKey: SECRET });
  const base = { deliveryId: 'dl_1', contactId: 'ct_1', funnelId: 'welcome', touchId: 'hello', now: T };
  const links = () => db.selectFrom('links').selectAll().orderBy('url').execute();

  it('stores every external link with UTM tags merged and leaves no target URL in the message', async () => {
    const unsubscribe = unsubscribeUrl(PUBLIC, SECRET, 'ct_1', 'dl_1');
    const html = '<html><body><p>Привет! <a href="https://school.example/lesson-1?ref=mail&amp;x=1#part2">Урок</a> '
      + '<a href="http://shop.example/">Магазин</a> <a href="mailto:help@school.example">Почта</a> <a href="tel:+79161234567">Тел</a> '
      + `<a href="#top">Наверх</a> <a href="${unsubscribe}">Отписаться</a></p></body></html>`;
    const text = 'Урок: https://school.example/lesson-1?ref=mail&x=1#part2. Магазин (http://shop.example/)';
    const out = await prepareTrackedEmail(deps(), { ...base, html, text, utm: { source: 'email', medium: 'funnel', campaign: 'welcome' } });

    const stored = await links();
    expect(stored.map((l) => l.url)).toEqual([
      'http://shop.example/?utm_source=email&utm_medium=funnel&utm_campaign=welcome',
      'https://school.example/lesson-1?ref=mail&x=1&utm_source=email&utm_medium=funnel&utm_campaign=welcome#part2',
    ]);
    expect(stored.every((l) => l.delivery_id === 'dl_1' && l.created_at === T && /^lk_[0-9a-f]{32}$/.test(l.id))).toBe(true);
    const [shop, lesson] = stored;
    for (const body of [out.html!, out.text!]) {
      expect(body).not.toContain('school.example/lesson');
      expect(body).not.toContain('shop.example');
      expect(body).toContain(`https://go.example.test/t/c/${lesson!.id}`);
      expect(body).toContain(`https://go.example.test/t/c/${shop!.id}`);
    }
    expect(out.html).toContain('href="mailto:help@school.example"');
    expect(out.html).toContain('href="tel:+79161234567"');
    expect(out.html).toContain('href="#top"');
    expect(out.html).toContain(`href="${unsubscribe}"`);
    expect(out.text).toBe(`Урок: https://go.example.test/t/c/${lesson!.id}. Магазин (https://go.example.test/t/c/${shop!.id})`);
  });

  it('puts a signed open pixel at the end of the body and RFC 8058 headers', async () => {
    const out = await prepareTrackedEmail(deps(), { ...base, html: '<body><p>Hi</p></body>' });
    const pixel = /<img src="https:\/\/go\.example\.test\/t\/o\/([^"]+)" width="1" height="1" alt=""><\/body>$/.exec(out.html!);
    expect(pixel).not.toBeNull();
    expect(verifyOpenToken(SECRET, pixel![1])).toBe('dl_1');
    expect(verifyOpenToken('another-key', pixel![1])).toBeNull();
    expect(out.text).toBeUndefined();

    const header = /^<https:\/\/go\.example\.test\/u\/([^>]+)>$/.exec(out.headers['List-Unsubscribe']!);
    expect(header).not.toBeNull();
    expect(verifyUnsubscribeToken(SECRET, header![1])).toEqual({ contactId: 'ct_1', deliveryId: 'dl_1' });
    expect(out.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('adds no UTM tags when utm is false, and a text-only email gets no pixel', async () => {
    const out = await prepareTrackedEmail(deps(), { ...base, text: 'Go https://a.example/x?y=1', utm: false });
    expect((await links()).map((l) => l.url)).toEqual(['https://a.example/x?y=1']);
    expect(out.html).toBeUndefined();
    expect(out.text).not.toContain('a.example');
    expect(out.headers['List-Unsubscribe']).toMatch(/^<https:\/\/go\.example\.test\/u\//);
  });

  it('reuses the stored links when the same delivery is prepared again (a retried send)', async () => {
    const input = { ...base, html: '<a href="https://a.example/">a</a><a href="https://a.example/">again</a>', text: 'https://b.example/' };
    const first = await prepareTrackedEmail(deps(), input);
    const second = await prepareTrackedEmail(deps(), { ...input, now: T + 60_000 });
    expect(second).toEqual(first);
    expect(await links()).toHaveLength(2);
  });
});
