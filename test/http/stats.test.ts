import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectError, insertDelivery, T0, type TestApp } from './test-app';

const HOUR = 3_600_000;

describe('http/api/stats', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    const contactId = ((await (await t.call('POST', '/api/contacts', { email: 'a@example.test' })).json()) as { id: string }).id;
    const { enrollmentId } = (await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId })).json()) as { enrollmentId: string };
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
    t.clock.now = T0 + 2 * HOUR;
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
  });
  afterEach(() => t.close());

  it('answers the funnel\'s stats under last_touch by default', async () => {
    const res = await t.call('GET', '/api/funnels/welcome/stats');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ funnelId: 'welcome', model: 'last_touch', enrolled: 1, converted: 1, revenue: 100 });
    expect((body as { touches: unknown[] }).touches).toEqual([
      expect.objectContaining({ touchId: 'hello', channel: 'email', sent: 1, delivered: 0, opened: 0, clicked: 0, converted: 1, conversionRate: 1, revenue: 100 }),
      expect.objectContaining({ touchId: 'nudge', sent: 0, converted: 0, conversionRate: 0 }),
    ]);
  });

  it('limits the period with from/to; a bare to-date includes that whole day', async () => {
    const day = (await (await t.call('GET', '/api/funnels/welcome/stats?from=2025-03-01&to=2025-03-01&model=last_touch')).json()) as { enrolled: number; from: string; to: string };
    expect(day).toMatchObject({ enrolled: 1, from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z' });
    const later = (await (await t.call('GET', '/api/funnels/welcome/stats?from=2025-03-01T10:30:00Z')).json()) as { enrolled: number; converted: number };
    expect(later).toMatchObject({ enrolled: 0, converted: 1 });
  });

  it('answers 404 for an unknown funnel', async () => {
    await expectError(await t.call('GET', '/api/funnels/nope/stats'), 404, 'not_found');
  });

  it('answers 422 for a bad date or an empty period', async () => {
    for (const q of ['from=yesterday', 'to=2025-13-01', 'from=2025-03-01T25:00:00Z', 'from=2025-03-02&to=2025-03-01T00:00:00Z']) {
      const body = await expectError(await t.call('GET', `/api/funnels/welcome/stats?${q}`), 422, 'validation_failed');
      expect(body.error.details).toEqual([expect.objectContaining({ path: expect.stringMatching(/^(from|to)$/) })]);
    }
  });

  it('answers 422 validation_failed for an unknown model and model_not_available for one without stored credit', async () => {
    await expectError(await t.call('GET', '/api/funnels/welcome/stats?model=best_guess'), 422, 'validation_failed');
    const body = await expectError(await t.call('GET', '/api/funnels/welcome/stats?model=linear'), 422, 'model_not_available');
    expect(body.error.details).toEqual({ model: 'linear', available: ['last_touch'] });
  });
});
