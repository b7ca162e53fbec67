import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectRejected, type TestApp } from './test-app';

describe('http/api/events batch', () => {
  let t: TestApp;
  let contactId: string;
  const batch = async (events: unknown[]) => {
    const res = await t.call('POST', '/api/events/batch', { events });
    expect(res.status).toBe(202);
    return ((await res.json()) as { results: Array<Record<string, any>> }).results;
  };
  afterEach(() => t.close());

  describe('without a dispatcher (applied before answering)', () => {
    beforeEach(async () => {
      t = await createTestApp();
      contactId = ((await (await t.call('POST', '/api/contacts', { externalId: 'u1', email: 'u1@example.test' })).json()) as { id: string }).id;
    });

    it('stores every event and answers each one in order', async () => {
      const results = await batch([
        { contactId, name: 'page.viewed', properties: { n: 1 } },
        { externalId: 'u1', name: 'page.viewed', properties: { n: 2 }, occurredAt: '2025-03-01T09:00:00+03:00' },
        { email: 'U1@example.test', name: 'order.created', value: 1500 },
      ]);
      expect(results).toEqual([1, 2, 3].map(() => ({ id: expect.stringMatching(/^ev_/), duplicate: false, dispatched: true })));
      const rows = await t.db.selectFrom('events').select(['id', 'name', 'value', 'occurred_at']).orderBy('received_at').orderBy('id').execute();
      expect(rows.map((r) => r.id)).toEqual(results.map((r) => r.id));
      expect(rows[1]!.occurred_at).toBe(Date.parse('2025-03-01T06:00:00Z'));
      expect(rows[2]!.value).toBe(1500);
    });

    it('answers an error for each invalid event and stores the valid ones', async () => {
      const results = await batch([
        { contactId, name: 'a' },
        { contactId },
        { email: 'not-an-email', name: 'b' },
        { contactId: 'ct_nope', name: 'c' },
        'not an object',
        { contactId, name: 'd', extra: 1 },
        { contactId, name: 'e' },
      ]);
      expect(results.map((r) => r.error?.code ?? 'stored')).toEqual(['stored', 'bad_request', 'validation_failed', 'not_found', 'bad_request', 'bad_request', 'stored']);
      for (const r of results.filter((x) => x.error)) expect(r.error.message.length).toBeGreaterThan(0);
      expect((await t.db.selectFrom('events').select('name').orderBy('received_at').orderBy('id').execute()).map((r) => r.name)).toEqual(['a', 'e']);
    });

    it('honours idempotency keys across batches and inside one', async () => {
      const [first] = await batch([{ contactId, name: 'order.paid', idempotencyKey: 'o-1' }]);
      const results = await batch([
        { contactId, name: 'order.paid', idempotencyKey: 'o-1' },
        { contactId, name: 'order.paid', idempotencyKey: 'o-2' },
        { contactId, name: 'order.paid', idempotencyKey: 'o-2' },
      ]);
      expect(results).toEqual([
        { id: first!.id, duplicate: true, dispatched: true },
        { id: expect.stringMatching(/^ev_/), duplicate: false, dispatched: true },
        { id: results[1]!.id, duplicate: true, dispatched: true },
      ]);
      expect((await t.counts()).events).toBe(2);
    });

    it('dispatches each event as POST /api/events does: entry enrollments, then signals in order', async () => {
      await batch([{ contactId, name: 'signed_up' }, { contactId, name: 'page.viewed', properties: { n: 1 } }, { contactId, name: 'page.viewed', properties: { n: 2 } }]);
      expect(t.gateway.starts).toEqual([expect.objectContaining({ funnelId: 'welcome', contactId })]);
      expect(t.gateway.signals.map((s) => s.event.properties.n)).toEqual([1, 2]);
    });

    it('refuses a malformed batch as a whole and stores nothing', async () => {
      await expectRejected(t, () => t.call('POST', '/api/events/batch', '{"events": ['), 400, 'invalid_json');
      await expectRejected(t, () => t.call('POST', '/api/events/batch', [{ contactId, name: 'a' }]), 400, 'invalid_json');
      await expectRejected(t, () => t.call('POST', '/api/events/batch', { events: { contactId, name: 'a' } }), 400, 'bad_request');
      await expectRejected(t, () => t.call('POST', '/api/events/batch', { events: [{ contactId, name: 'a' }], also: 1 }), 400, 'bad_request');
      await expectRejected(t, () => t.call('POST', '/api/events/batch', { events: Array.from({ length: 1001 }, () => ({ contactId, name: 'a' })) }), 422, 'validation_failed');
      await expectRejected(t, () => t.call('POST', '/api/events/batch', {}), 400, 'bad_request');
    });

    it('takes 1,000 events in a body larger than the single endpoint\'s limit', async () => {
      const events = Array.from({ length: 1000 }, (_, n) => ({ contactId, name: 'page.viewed', properties: { n, path: `/lesson/${'x'.repeat(300)}` } }));
      expect(JSON.stringify({ events }).length).toBeGreaterThan(256 * 1024);
      const results = await batch(events);
      expect(results).toHaveLength(1000);
      expect((await t.counts()).events).toBe(1000);
      await expectRejected(t, () => t.call('POST', '/api/events', { contactId, name: 'big', properties: { p: 'x'.repeat(300 * 1024) } }), 413, 'payload_too_large');
    });
  });

  describe('with the dispatcher', () => {
    beforeEach(async () => {
      t = await createTestApp({ dispatcher: {} });
      contactId = ((await (await t.call('POST', '/api/contacts', { externalId: 'u1', email: 'u1@example.test' })).json()) as { id: string }).id;
      await t.call('POST', '/api/funnels/manual/enrollments', { contactId });
    });

    it('answers once stored (dispatched: false) and the dispatcher signals the events in the batch\'s order', async () => {
      const results = await batch(Array.from({ length: 5 }, (_, n) => ({ contactId, name: 'page.viewed', properties: { n } })));
      expect(results.every((r) => r.dispatched === false)).toBe(true);
      expect(t.gateway.signals).toEqual([]);
      expect(await t.dispatcher!.drain()).toBe(5);
      expect(t.gateway.signals.map((s) => s.event.properties.n)).toEqual([0, 1, 2, 3, 4]);
      expect(t.gateway.signals.map((s) => s.event.id)).toEqual(results.map((r) => r.id));
    });
  });
});
