import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSend, finishDelivery, openDelivery } from '../../src/db/deliveries';
import { createTestApp, expectError, insertDelivery, T0, type TestApp } from './test-app';

const HOUR = 3_600_000;
const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'];

describe('http/api/stats', () => {
  let t: TestApp;
  let contactId: string;
  beforeEach(async () => {
    t = await createTestApp();
    contactId = ((await (await t.call('POST', '/api/contacts', { email: 'a@example.test' })).json()) as { id: string }).id;
    const { enrollmentId } = (await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId })).json()) as { enrollmentId: string };
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'nudge', { status: 'skipped', at: T0 + 3 * HOUR, reason: 'no_consent' });
    t.clock.now = T0 + 2 * HOUR;
    await t.call('POST', '/api/events', { contactId, name: 'hello.opened' });
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
  });
  afterEach(() => t.close());

  it('answers the funnel\'s stats under last_touch by default, with every per-touch counter', async () => {
    const res = await t.call('GET', '/api/funnels/welcome/stats');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ funnelId: 'welcome', model: 'last_touch', enrolled: 1, converted: 1, revenue: 100, from: null, to: null });
    expect((body as { touches: unknown[] }).touches).toEqual([
      {
        touchId: 'hello', channel: 'email', sent: 1, delivered: 0, outbox: 0, opened: 1, clicked: 0, replied: 0, unsubscribed: 0, failed: 0,
        skipped: 0, deferred: 0, heldOut: 0, skippedByReason: {}, deferredByReason: {}, converted: 1, conversionRate: 1, revenue: 100,
        assisted: 0, medianTimeToConversionMs: expect.any(Number), fallbacks: {},
      },
      expect.objectContaining({ touchId: 'nudge', sent: 0, skipped: 1, skippedByReason: { no_consent: 1 }, converted: 0, conversionRate: 0, medianTimeToConversionMs: null }),
    ]);
    const median = (body as { touches: Array<{ medianTimeToConversionMs: number }> }).touches[0]!.medianTimeToConversionMs;
    expect(median / HOUR).toBeGreaterThan(0.91); // one hour from touch to goal, estimated within 9%
    expect(median / HOUR).toBeLessThan(1.091);
  });

  it('serves all five attribution models', async () => {
    for (const model of MODELS) {
      const res = await t.call('GET', `/api/funnels/welcome/stats?model=${model}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { model: string; touches: Array<{ touchId: string; converted: number; revenue: number }> };
      expect(body.model).toBe(model);
      expect(body.touches[0]).toMatchObject({ touchId: 'hello', converted: 1, revenue: 100 });
    }
  });

  it('limits the period with from/to; a bare to-date includes that whole day', async () => {
    const day = (await (await t.call('GET', '/api/funnels/welcome/stats?from=2025-03-01&to=2025-03-01&model=last_touch')).json()) as { enrolled: number; from: string; to: string };
    expect(day).toMatchObject({ enrolled: 1, from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z' });
    const later = (await (await t.call('GET', '/api/funnels/welcome/stats?from=2025-03-01T10:30:00Z')).json()) as { enrolled: number; converted: number; touches: Array<{ sent: number }> };
    expect(later).toMatchObject({ enrolled: 0, converted: 1 });
    expect(later.touches[0]!.sent).toBe(1); // scheduled at 11:00
    const before = (await (await t.call('GET', '/api/funnels/welcome/stats?to=2025-03-01T11:00:00Z')).json()) as { converted: number; touches: Array<{ sent: number }> };
    expect(before).toMatchObject({ converted: 0, touches: [expect.objectContaining({ sent: 0 }), expect.objectContaining({ skipped: 0 })] });
  });

  it('counts a touch that fell back to another channel apart, by the channel used, within the period', async () => {
    const other = ((await (await t.call('POST', '/api/contacts', { phone: '+79161234567' })).json()) as { id: string }).id;
    const { enrollmentId } = (await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId: other })).json()) as { enrollmentId: string };
    const at = T0 + 5 * HOUR;
    const row = await openDelivery(t.db, { enrollmentId, funnelId: 'welcome', contactId: other, touchId: 'hello', channel: 'email', scheduledAt: at, createdAt: at, priority: 0, variant: null });
    expect(await claimSend(t.db, row.id, { attempts: 0, recipient: '+79161234567', subject: null, channel: 'sms', at })).toBe(true);
    await finishDelivery(t.db, row.id, 'sent', { channel: 'sms', at });
    const touch = async (q: string) => ((await (await t.call('GET', `/api/funnels/welcome/stats${q}`)).json()) as { touches: Array<{ touchId: string; channel: string; sent: number; fallbacks: unknown }> }).touches[0];
    expect(await touch('')).toMatchObject({ touchId: 'hello', channel: 'email', sent: 2, fallbacks: { sms: 1 } });
    expect(await touch('?to=2025-03-01T15:00:00Z')).toMatchObject({ sent: 1, fallbacks: {} });
    expect(await touch('?from=2025-03-01T15:00:00Z')).toMatchObject({ sent: 1, fallbacks: { sms: 1 } });
  });

  it('answers 404 for an unknown funnel', async () => {
    await expectError(await t.call('GET', '/api/funnels/nope/stats'), 404, 'not_found');
  });

  it('answers 422 for a bad date, an empty period or an unknown model', async () => {
    for (const q of ['from=yesterday', 'to=2025-13-01', 'from=2025-03-01T25:00:00Z', 'from=2025-03-02&to=2025-03-01T00:00:00Z']) {
      const body = await expectError(await t.call('GET', `/api/funnels/welcome/stats?${q}`), 422, 'validation_failed');
      expect(body.error.details).toEqual([expect.objectContaining({ path: expect.stringMatching(/^(from|to)$/) })]);
    }
    const body = await expectError(await t.call('GET', '/api/funnels/welcome/stats?model=best_guess'), 422, 'validation_failed');
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'model' })]);
  });
});

describe('http/api/experiments', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('answers the splits and holdouts of a funnel (none here) with the period', async () => {
    const res = await t.call('GET', '/api/funnels/welcome/experiments?from=2025-03-01&to=2025-03-31');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ funnelId: 'welcome', from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z', splits: [], holdouts: [] });
  });

  it('needs the bearer token', async () => {
    await expectError(await t.call('GET', '/api/funnels/welcome/experiments', undefined, { authorization: 'Bearer wrong-token-0000000000' }), 401, 'unauthorized');
  });

  it('answers 404 for an unknown funnel and 422 for a bad period', async () => {
    await expectError(await t.call('GET', '/api/funnels/nope/experiments'), 404, 'not_found');
    await expectError(await t.call('GET', '/api/funnels/welcome/experiments?from=2025-03-02&to=2025-03-01T00:00:00Z'), 422, 'validation_failed');
    await expectError(await t.call('GET', '/api/funnels/welcome/experiments?to=soon'), 422, 'validation_failed');
  });
});
