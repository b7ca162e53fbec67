import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectRejected, type TestApp } from './test-app';
import { UnavailableError } from '../../src/errors';
import { redispatchPending } from '../../src/engine/ingest-event';

describe('http/api/events', () => {
  let t: TestApp;
  let contactId: string;
  beforeEach(async () => {
    t = await createTestApp();
    contactId = ((await (await t.call('POST', '/api/contacts', { externalId: 'u1', email: 'u1@example.test' })).json()) as { id: string }).id;
  });
  afterEach(() => t.close());

  it('stores an event and answers 202 {id, duplicate: false}', async () => {
    const res = await t.call('POST', '/api/events', { contactId, name: 'page.viewed', properties: { path: '/pricing' }, value: 0, occurredAt: '2025-03-01T09:00:00+03:00' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; duplicate: boolean };
    expect(body).toEqual({ id: expect.stringMatching(/^ev_/), duplicate: false, dispatched: true });
    const row = await t.db.selectFrom('events').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ contact_id: contactId, name: 'page.viewed', occurred_at: Date.parse('2025-03-01T06:00:00Z') });
  });

  it('finds the contact by externalId, email or phone', async () => {
    await t.call('POST', '/api/contacts', { externalId: 'u1', phone: '+79161234567' });
    for (const ref of [{ externalId: 'u1' }, { email: 'U1@example.test' }, { phone: '+79161234567' }]) {
      expect((await t.call('POST', '/api/events', { ...ref, name: 'ping' })).status).toBe(202);
    }
    const rows = await t.db.selectFrom('events').select('contact_id').execute();
    expect(rows.map((r) => r.contact_id)).toEqual([contactId, contactId, contactId]);
  });

  it('stores an event once per idempotency key: the second call answers duplicate with the same id', async () => {
    const event = { contactId, name: 'order.created', idempotencyKey: 'order-1' };
    const first = (await (await t.call('POST', '/api/events', event)).json()) as { id: string };
    const second = await t.call('POST', '/api/events', event);
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ id: first.id, duplicate: true, dispatched: true });
    expect((await t.counts()).events).toBe(1);
  });

  it('enrolls the contact into a funnel whose entry is the event', async () => {
    await t.call('POST', '/api/events', { contactId, name: 'signed_up' });
    expect(t.gateway.starts).toHaveLength(1);
    expect(t.gateway.starts[0]).toMatchObject({ funnelId: 'welcome', contactId, version: 'v1', trigger: { name: 'signed_up' } });
    const rows = await t.db.selectFrom('enrollments').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ funnel_id: 'welcome', contact_id: contactId, status: 'active', workflow_id: `funnel:welcome:${contactId}` })]);
  });

  it('signals the event to the contact\'s active enrollments', async () => {
    await t.call('POST', '/api/funnels/manual/enrollments', { contactId });
    await t.call('POST', '/api/events', { contactId, name: 'invite.clicked', properties: { funnelId: 'manual' } });
    expect(t.gateway.signals).toEqual([{ workflowId: `funnel:manual:${contactId}`, event: expect.objectContaining({ name: 'invite.clicked' }) }]);
  });

  it('accepts the event while Temporal is down and dispatches it later (retry with the key, or the sweep)', async () => {
    await t.call('POST', '/api/funnels/manual/enrollments', { contactId });
    t.gateway.signalError = new UnavailableError('temporal: signal failed: connection refused');
    const first = await t.call('POST', '/api/events', { contactId, name: 'page.viewed', idempotencyKey: 'k-down' });
    expect(first.status).toBe(202);
    const body = (await first.json()) as { id: string; dispatched: boolean };
    expect(body.dispatched).toBe(false);
    expect(t.gateway.signals).toEqual([]);
    expect(await t.db.selectFrom('events').select('dispatched_at').where('id', '=', body.id).executeTakeFirstOrThrow()).toEqual({ dispatched_at: null });

    t.gateway.signalError = null;
    const retry = await t.call('POST', '/api/events', { contactId, name: 'page.viewed', idempotencyKey: 'k-down' });
    expect(await retry.json()).toEqual({ id: body.id, duplicate: true, dispatched: true });
    expect(t.gateway.signals.map((s) => s.event.id)).toEqual([body.id]);

    t.gateway.signalError = new UnavailableError('down again');
    const other = (await (await t.call('POST', '/api/events', { contactId, name: 'page.left' })).json()) as { id: string };
    t.gateway.signalError = null;
    expect(await redispatchPending(t.deps)).toBe(1);
    expect(t.gateway.signals.map((s) => s.event.id)).toEqual([body.id, other.id]);
  });

  it('answers 404 for an unknown contact and stores nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId: 'ct_nope', name: 'x' }), 404, 'not_found');
    await expectRejected(t, () => t.call('POST', '/api/events', { email: 'nobody@example.test', name: 'x' }), 404, 'not_found');
  });

  it('rejects malformed JSON with 400 invalid_json and stores nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/events', `{"contactId": "${contactId}", name: "x"}`), 400, 'invalid_json');
  });

  it('rejects a missing name or wrong types with 400 bad_request and stores nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId }), 400, 'bad_request');
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId, name: 'x', value: '12.5' }), 400, 'bad_request');
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId, name: 'x', properties: ['a'] }), 400, 'bad_request');
  });

  it('rejects well-formed but invalid values with 422 validation_failed and stores nothing', async () => {
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId, name: 'has space' }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/events', { contactId, name: 'x', occurredAt: 'yesterday' }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/events', { email: 'not-an-email', name: 'x' }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/events', { phone: '12345', name: 'x' }), 422, 'validation_failed');
    await expectRejected(t, () => t.call('POST', '/api/events', { name: 'x' }), 422, 'validation_failed');
  });
});
