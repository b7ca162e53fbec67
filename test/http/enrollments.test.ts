import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectError, insertDelivery, T0, type TestApp } from './test-app';

const HOUR = 3_600_000;

describe('http/api/enrollments', () => {
  let t: TestApp;
  let contactId: string;
  let enrollmentId: string;
  beforeEach(async () => {
    t = await createTestApp();
    await t.call('POST', '/api/contacts', { email: 'a@example.test' });
    contactId = (await t.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow()).id;
    await t.call('POST', '/api/events', { contactId, name: 'before', occurredAt: new Date(T0 - HOUR).toISOString() });
    enrollmentId = ((await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId })).json()) as { enrollmentId: string }).enrollmentId;
  });
  afterEach(() => t.close());

  it('answers an active enrollment with the workflow\'s current step and a time-ordered timeline', async () => {
    const ref = { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId };
    await insertDelivery(t.db, ref, 'nudge', { status: 'skipped', at: T0 + 25 * HOUR, reason: 'no consent for email' });
    await insertDelivery(t.db, ref, 'hello', { status: 'sent', at: T0 + HOUR });
    t.clock.now = T0 + 2 * HOUR;
    await t.call('POST', '/api/events', { contactId, name: 'hello.opened', properties: { funnelId: 'welcome' } });
    t.gateway.steps.set(`funnel:welcome:${contactId}`, { stepId: 'pause', state: 'waiting' });

    const res = await t.call('GET', `/api/enrollments/${enrollmentId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { timeline: Array<{ type: string }> };
    expect(body).toMatchObject({
      id: enrollmentId, funnelId: 'welcome', contactId, version: 'v1', status: 'active', currentStep: 'pause',
      enrolledAt: '2025-03-01T10:00:00.000Z', finishedAt: null, convertedAt: null, exitReason: null,
    });
    expect(body.timeline).toEqual([
      expect.objectContaining({ type: 'delivery', at: '2025-03-01T11:00:00.000Z', touchId: 'hello', channel: 'email', status: 'sent', reason: null, subject: 'Subject of hello', recipient: 'a@example.test', openedAt: '2025-03-01T12:00:00.000Z' }),
      { type: 'event', at: '2025-03-01T12:00:00.000Z', id: expect.any(String), name: 'hello.opened', properties: { funnelId: 'welcome' }, value: null },
      expect.objectContaining({ type: 'delivery', at: '2025-03-02T11:00:00.000Z', touchId: 'nudge', status: 'skipped', reason: 'no consent for email' }),
    ]);
  });

  it('answers currentStep null for a finished enrollment without asking the workflow', async () => {
    t.gateway.steps.set(`funnel:welcome:${contactId}`, { stepId: 'pause', state: 'waiting' });
    await t.db.updateTable('enrollments').set({ status: 'exited', exit_reason: 'goal reached elsewhere', finished_at: T0 + HOUR }).execute();
    const res = await t.call('GET', `/api/enrollments/${enrollmentId}`);
    expect(await res.json()).toMatchObject({ status: 'exited', currentStep: null, exitReason: 'goal reached elsewhere', finishedAt: '2025-03-01T11:00:00.000Z' });
  });

  it('starts the timeline with the event that enrolled the contact', async () => {
    await t.call('POST', '/api/contacts', { email: 'b@example.test' });
    t.clock.now = T0 + HOUR;
    await t.call('POST', '/api/events', { email: 'b@example.test', name: 'signed_up', occurredAt: new Date(T0 + HOUR - 60_000).toISOString() });
    const row = await t.db.selectFrom('enrollments').innerJoin('contacts', 'contacts.id', 'enrollments.contact_id')
      .select('enrollments.id').where('contacts.email', '=', 'b@example.test').executeTakeFirstOrThrow();
    const body = (await (await t.call('GET', `/api/enrollments/${row.id}`)).json()) as { timeline: Array<{ type: string; name?: string }> };
    expect(body.timeline).toEqual([expect.objectContaining({ type: 'event', name: 'signed_up' })]);
  });

  it('answers 404 not_found for an unknown enrollment', async () => {
    const body = await expectError(await t.call('GET', '/api/enrollments/en_nope'), 404, 'not_found');
    expect(body.error.message).toContain('en_nope');
  });

  it('requires the token', async () => {
    await expectError(await t.app.request(`/api/enrollments/${enrollmentId}`), 401, 'unauthorized');
  });
});
