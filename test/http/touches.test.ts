import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, expectError, insertDelivery, T0, type TestApp } from './test-app';
import { creditShares, DEFAULT_HALF_LIFE_MS } from '../../src/analytics/attribution-models';
import { contactTimeline } from '../../src/http/dashboard/data/timeline-data';

const HOUR = 3_600_000;
const MIN = 60_000;
const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
const iso = (ms: number) => new Date(ms).toISOString();

type TouchStat = { touchId: string; channel: string; sent: number; delivered: number; converted: number; revenue: number };
type Stats = { converted: number; touches: TouchStat[] };

describe('POST /api/touches: staff and offline touches in the ledger', () => {
  let t: TestApp;
  let contactId: string;
  let enrollmentId: string;
  const stats = async (model: string) => (await (await t.call('GET', `/api/funnels/welcome/stats?model=${model}`)).json()) as Stats;
  const ledgerCount = async () => ({
    logged: Number((await t.db.selectFrom('logged_touches').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    deliveries: Number((await t.db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });

  beforeEach(async () => {
    t = await createTestApp();
    contactId = ((await (await t.call('POST', '/api/contacts', { email: 'a@example.test', name: 'Анна' })).json()) as { id: string }).id;
    enrollmentId = ((await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId })).json()) as { enrollmentId: string }).enrollmentId;
    t.clock.now = T0 + 3 * HOUR;
  });
  afterEach(() => t.close());

  it('a logged call is the only touch: it gets the whole conversion under all five models, in the stats under its kind', async () => {
    const res = await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + 30 * MIN), outcome: 'interested', notes: 'wants the long course' });
    expect(res.status).toBe(201);
    const touch = await res.json() as { id: string; ledger: Array<{ enrollmentId: string; funnelId: string }> };
    expect(touch).toMatchObject({ contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + 30 * MIN), outcome: 'interested', value: null });
    expect(touch.ledger).toEqual([{ funnelId: 'welcome', enrollmentId, deliveryId: expect.any(String) }]);
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
    for (const model of MODELS) {
      const body = await stats(model);
      expect(body.converted, model).toBe(1);
      expect(body.touches.find((x) => x.touchId === 'call'), model).toMatchObject({ channel: 'staff', sent: 1, delivered: 1, converted: 1, revenue: 100 });
    }
  });

  it('beside a sent email, the call earns each model\'s share of the credit', async () => {
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
    expect((await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + 2 * HOUR) })).status).toBe(201);
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
    for (const model of MODELS) {
      const [email, call] = creditShares(model, [T0 + HOUR, T0 + 2 * HOUR], DEFAULT_HALF_LIFE_MS);
      const body = await stats(model);
      expect(body.touches.find((x) => x.touchId === 'hello')!.converted, model).toBeCloseTo(email!, 4);
      expect(body.touches.find((x) => x.touchId === 'call')!.converted, model).toBeCloseTo(call!, 4);
    }
    expect((await stats('last_touch')).touches.find((x) => x.touchId === 'call')!.converted).toBe(1);
    expect((await stats('first_touch')).touches.find((x) => x.touchId === 'call')!.converted).toBe(0);
  });

  it('a call logged after the purchase it came before takes its credit from then on', async () => {
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
    t.clock.now = T0 + 2 * HOUR;
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
    expect((await stats('last_touch')).touches.find((x) => x.touchId === 'hello')!.converted).toBe(1);
    t.clock.now = T0 + 20 * HOUR; // the next morning, the manager logs yesterday's call
    expect((await t.call('POST', '/api/touches', { contactId, kind: 'call', by: 'Ivan', at: iso(T0 + 90 * MIN) })).status).toBe(201);
    const last = await stats('last_touch');
    expect(last.touches.find((x) => x.touchId === 'hello')!.converted).toBe(0);
    expect(last.touches.find((x) => x.touchId === 'call')).toMatchObject({ converted: 1, revenue: 100 });
    expect((await stats('linear')).touches.find((x) => x.touchId === 'call')!.converted).toBe(0.5);
  });

  it('a contact called twice in one enrollment counts two calls; without a funnel the call counts in the enrollments open then', async () => {
    for (const at of [T0 + HOUR, T0 + 2 * HOUR]) {
      expect((await t.call('POST', '/api/touches', { contactId, kind: 'call', by: 'Ivan', at: iso(at) })).status).toBe(201);
    }
    expect((await stats('last_touch')).touches.find((x) => x.touchId === 'call')).toMatchObject({ sent: 2 });
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 }); // the rollups count both calls as converted
    const linear = await stats('linear');
    expect(linear.converted).toBe(1);
    expect(linear.touches.find((x) => x.touchId === 'call')).toMatchObject({ sent: 2, converted: 1, revenue: 100 });
    // before any enrollment had started: on the contact's timeline only
    const early = (await (await t.call('POST', '/api/touches', { contactId, kind: 'letter', by: 'office', at: iso(T0 - HOUR) })).json()) as { ledger: unknown[] };
    expect(early.ledger).toEqual([]);
  });

  it('shows the touch on the contact\'s timeline (once) and on the enrollment\'s', async () => {
    await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'meeting', by: 'Ольга', at: iso(T0 + HOUR), outcome: 'договорились', value: 5000 });
    const timeline = await contactTimeline(t.db, contactId);
    const staff = timeline.filter((e) => e.kind === 'staff_touch');
    expect(staff).toEqual([expect.objectContaining({ at: T0 + HOUR, funnelId: 'welcome', touchId: 'meeting', channel: 'staff', details: 'Ольга · договорились', value: 5000 })]);
    expect(timeline.filter((e) => e.touchId === 'meeting')).toHaveLength(1);
    const enrollment = (await (await t.call('GET', `/api/enrollments/${enrollmentId}`)).json()) as { timeline: Array<Record<string, unknown>> };
    expect(enrollment.timeline).toContainEqual(expect.objectContaining({ touchId: 'meeting', channel: 'staff' }));
  });

  it('refuses bad touches and stores nothing: unknown contact 404, bad kind or date 422, not enrolled in the funnel 422', async () => {
    const before = await ledgerCount();
    await expectError(await t.call('POST', '/api/touches', { contactId: 'ct_nope', kind: 'call', by: 'Ivan' }), 404, 'not_found');
    await expectError(await t.call('POST', '/api/touches', { contactId, funnelId: 'nope', kind: 'call', by: 'Ivan' }), 404, 'not_found');
    await expectError(await t.call('POST', '/api/touches', { contactId, kind: 'telepathy', by: 'Ivan' }), 422, 'validation_failed');
    await expectError(await t.call('POST', '/api/touches', { contactId, kind: 'call', by: 'Ivan', at: iso(T0 + 30 * HOUR) }), 422, 'validation_failed');
    await expectError(await t.call('POST', '/api/touches', { contactId, funnelId: 'manual', kind: 'call', by: 'Ivan' }), 422, 'validation_failed');
    await expectError(await t.call('POST', '/api/touches', { contactId, kind: 'call' }), 400, 'bad_request');
    await expectError(await t.call('POST', '/api/touches', 'kind,by', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    expect(await ledgerCount()).toEqual(before);
  });

  it('imports a CSV: every row checked first, one bad row is a 422 naming it with nothing stored; a good file is stored whole', async () => {
    const csv = (rows: string[]) => ['contactId,funnelId,kind,by,at,outcome,notes,value', ...rows].join('\r\n');
    const good = [
      `${contactId},welcome,call,Ivan,${iso(T0 + HOUR)},interested,"asked about ""VIP"", call back",`,
      `${contactId},,gift,office,${iso(T0 + 2 * HOUR)},,,"1500,50"`,
    ];
    const before = await ledgerCount();
    const bad = await t.call('POST', '/api/touches', csv([...good, `${contactId},welcome,fax,Ivan,${iso(T0 + HOUR)},,,`]), { 'content-type': 'text/csv' });
    const body = await expectError(bad, 422, 'validation_failed');
    expect(body.error.details).toEqual([expect.objectContaining({ row: 3, path: 'kind' })]);
    const unknownContact = await t.call('POST', '/api/touches', csv([...good, `ct_nope,,call,Ivan,,,,`]), { 'content-type': 'text/csv' });
    expect((await expectError(unknownContact, 422, 'validation_failed')).error.details).toEqual([expect.objectContaining({ row: 3, path: 'contactId' })]);
    expect(await ledgerCount()).toEqual(before);

    const ok = await t.call('POST', '/api/touches', csv(good), { 'content-type': 'text/csv; charset=utf-8' });
    expect(ok.status).toBe(201);
    const imported = (await ok.json()) as { imported: number; touches: Array<{ notes: string | null; value: number | null }> };
    expect(imported.imported).toBe(2);
    expect(imported.touches.map((x) => [x.notes, x.value])).toEqual([['asked about "VIP", call back', null], [null, 1500.5]]);
    expect(await ledgerCount()).toEqual({ logged: before.logged + 2, deliveries: before.deliveries + 2 });
    const s = await stats('last_touch');
    expect(s.touches.map((x) => x.touchId)).toEqual(expect.arrayContaining(['call', 'gift']));
  });

  it('exports the contact\'s logged touches; erasure keeps their numbers but drops outcome and notes', async () => {
    await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + HOUR), outcome: 'перезвонить', notes: 'Анна, +7 900 000-00-00' });
    const exported = (await (await t.call('GET', `/api/contacts/${contactId}/export`)).json()) as { staffTouches: Array<Record<string, unknown>> };
    expect(exported.staffTouches).toEqual([expect.objectContaining({ kind: 'call', by: 'Ivan', at: iso(T0 + HOUR), outcome: 'перезвонить', notes: 'Анна, +7 900 000-00-00' })]);
    expect((await t.call('DELETE', `/api/contacts/${contactId}`)).status).toBe(204);
    expect(await t.db.selectFrom('logged_touches').select(['kind', 'by', 'outcome', 'notes']).execute()).toEqual([{ kind: 'call', by: 'Ivan', outcome: null, notes: null }]);
    expect((await stats('last_touch')).touches.find((x) => x.touchId === 'call')).toMatchObject({ sent: 1 });
  });

  it('answers the touches of every funnel, automated and staff, that reached the buyers before their purchase', async () => {
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'hello', { status: 'sent', at: T0 + HOUR });
    const manual = ((await (await t.call('POST', '/api/funnels/manual/enrollments', { contactId })).json()) as { enrollmentId: string }).enrollmentId;
    await insertDelivery(t.db, { id: manual, funnel_id: 'manual', contact_id: contactId }, 'invite', { status: 'sent', at: T0 + HOUR + MIN });
    await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + 2 * HOUR) });
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
    await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contactId }, 'nudge', { status: 'sent', at: T0 + 5 * HOUR }); // after the purchase
    const res = await t.call('GET', '/api/funnels/welcome/journeys');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      funnelId: 'welcome', from: null, to: null, conversions: 1, touches: 3, automatedTouches: 2, staffTouches: 1, meanTouches: 3, medianTouches: 3, meanFunnels: 2,
      byChannel: [{ channel: 'email', staff: false, touches: 2, share: 0.6667, perConversion: 2 }, { channel: 'staff', staff: true, touches: 1, share: 0.3333, perConversion: 1 }],
      distribution: [{ touches: 3, conversions: 1, share: 1, meanStaff: 1 }],
    });
    expect(((await (await t.call('GET', '/api/funnels/welcome/journeys?to=2025-03-01T12:00:00Z')).json()) as { conversions: number }).conversions).toBe(0);
    await expectError(await t.call('GET', '/api/funnels/nope/journeys'), 404, 'not_found');
  });

  it('answers per staff member: touches logged, conversions credited, speed to lead', async () => {
    await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'call', by: 'Ivan', at: iso(T0 + 45 * MIN) });
    await t.call('POST', '/api/touches', { contactId, funnelId: 'welcome', kind: 'meeting', by: 'Olga', at: iso(T0 + 2 * HOUR) });
    const other = ((await (await t.call('POST', '/api/contacts', { email: 'b@example.test' })).json()) as { id: string }).id;
    await t.call('POST', '/api/funnels/welcome/enrollments', { contactId: other });
    await t.call('POST', '/api/touches', { contactId: other, kind: 'call', by: 'Olga', at: iso(T0 + 3 * HOUR) }); // enrolled at T0 + 3h
    await t.call('POST', '/api/events', { contactId, name: 'order.paid', value: 100 });
    const res = await t.call('GET', '/api/staff?funnelId=welcome&model=last_touch');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { staff: unknown[] };
    expect(body).toMatchObject({ funnelId: 'welcome', model: 'last_touch' });
    expect(body.staff).toEqual([
      { by: 'Olga', touches: 2, byKind: { meeting: 1, call: 1 }, conversions: 1, revenue: 100, leads: 1, speedToLeadMedianMs: 0, speedToLeadMeanMs: 0 },
      { by: 'Ivan', touches: 1, byKind: { call: 1 }, conversions: 0, revenue: 0, leads: 1, speedToLeadMedianMs: 45 * MIN, speedToLeadMeanMs: 45 * MIN },
    ]);
    const linear = (await (await t.call('GET', '/api/staff?model=linear')).json()) as { staff: Array<{ by: string; conversions: number }> };
    expect(linear.staff.map((s) => [s.by, s.conversions])).toEqual([['Olga', 0.5], ['Ivan', 0.5]]);
    await expectError(await t.call('GET', '/api/staff?funnelId=nope'), 404, 'not_found');
    await expectError(await t.call('GET', '/api/staff?model=nope'), 422, 'validation_failed');
  });
});
