import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../http/test-app';
import { eventually } from '../helpers/ports';
import { UnavailableError } from '../../src/errors';
import { EventDispatcher } from '../../src/engine/event-dispatcher';
import { claimEvents } from '../../src/engine/event-claims';
import { ingestEvent } from '../../src/engine/ingest-event';
import type { FunnelEvent } from '../../workflows/types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine/event-dispatcher', () => {
  let t: TestApp;
  afterEach(() => t.close());

  async function enrolledContact(n: number): Promise<string> {
    const { id } = (await (await t.call('POST', '/api/contacts', { externalId: `c${n}`, email: `c${n}@example.test` })).json()) as { id: string };
    expect((await t.call('POST', '/api/funnels/manual/enrollments', { contactId: id })).status).toBe(201);
    return id;
  }
  const post = async (body: unknown) => (await (await t.call('POST', '/api/events', body)).json()) as { id: string; duplicate: boolean; dispatched: boolean };
  const signalled = (contactId: string) => t.gateway.signals.filter((s) => s.workflowId === `funnel:manual:${contactId}`).map((s) => s.event.properties.n);
  const undispatched = async () => (await t.db.selectFrom('events').select('id').where('dispatched_at', 'is', null).execute()).length;

  it('answers once the event is stored (dispatched: false), then signals it; a repeated key answers the same event, dispatched', async () => {
    t = await createTestApp({ dispatcher: {} });
    const contactId = await enrolledContact(1);
    const first = await post({ contactId, name: 'page.viewed', idempotencyKey: 'k1', properties: { n: 1 } });
    expect(first).toEqual({ id: expect.stringMatching(/^ev_/), duplicate: false, dispatched: false });
    expect(t.gateway.signals).toEqual([]);
    expect(await t.dispatcher!.drain()).toBe(1);
    expect(signalled(contactId)).toEqual([1]);
    expect(await post({ contactId, name: 'page.viewed', idempotencyKey: 'k1', properties: { n: 1 } })).toEqual({ id: first.id, duplicate: true, dispatched: true });
    expect(await t.dispatcher!.drain()).toBe(0);
    expect(signalled(contactId)).toEqual([1]); // the duplicate is neither stored nor signalled again
    expect((await t.counts()).events).toBe(1);
  });

  it('keeps each contact\'s order while contacts are dispatched in parallel, whatever each signal takes', async () => {
    t = await createTestApp({ dispatcher: { concurrency: 4, batch: 7 } });
    const contacts = [await enrolledContact(1), await enrolledContact(2), await enrolledContact(3)];
    const signal = t.gateway.signal.bind(t.gateway);
    let inFlight = 0;
    let most = 0;
    t.gateway.signal = async (workflowId: string, event: FunnelEvent) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(Math.random() * 8);
      inFlight -= 1;
      return signal(workflowId, event);
    };
    for (let n = 0; n < 20; n++) for (const contactId of contacts) await post({ contactId, name: 'page.viewed', properties: { n } });
    t.dispatcher!.start();
    await eventually(async () => (await undispatched()) === 0, 'every event dispatched', 10_000, 20);
    const order = Array.from({ length: 20 }, (_, n) => n);
    for (const c of contacts) expect(signalled(c)).toEqual(order);
    expect(most).toBeGreaterThan(1); // contacts really went in parallel
  });

  it('marks events that concern no enrollment, touch or entry dispatched without a signal', async () => {
    t = await createTestApp({ dispatcher: {} });
    const { id } = (await (await t.call('POST', '/api/contacts', { externalId: 'lone' })).json()) as { id: string };
    for (let n = 0; n < 5; n++) await post({ contactId: id, name: 'page.viewed', properties: { n } });
    expect(await t.dispatcher!.drain()).toBe(5);
    expect(await undispatched()).toBe(0);
    expect(t.gateway.signals).toEqual([]);
    const rows = await t.db.selectFrom('events').select(['dispatched_at', 'dispatch_lease_until']).execute();
    expect(rows).toEqual(Array.from({ length: 5 }, () => ({ dispatched_at: t.clock.now, dispatch_lease_until: null })));
  });

  it('stores an event nothing could care about as dispatched at once, unless an earlier event of the contact still waits', async () => {
    t = await createTestApp({ dispatcher: {} });
    const { id } = (await (await t.call('POST', '/api/contacts', { externalId: 'lone' })).json()) as { id: string };
    expect(await post({ contactId: id, name: 'site.visited' })).toMatchObject({ duplicate: false, dispatched: true });
    expect(await undispatched()).toBe(0);
    // The entry event waits for the dispatcher and will enroll the contact: the visit after it waits too, then reaches the workflow.
    await post({ contactId: id, name: 'signed_up' });
    expect(await post({ contactId: id, name: 'site.visited', properties: { n: 7 } })).toMatchObject({ dispatched: false });
    await t.dispatcher!.drain();
    expect(t.gateway.signals).toEqual([{ workflowId: `funnel:welcome:${id}`, event: expect.objectContaining({ name: 'site.visited' }) }]);
    // Enrolled now: a visit waits for the dispatcher, which signals it.
    expect(await post({ contactId: id, name: 'site.visited', properties: { n: 8 } })).toMatchObject({ dispatched: false });
    await t.dispatcher!.drain();
    expect(t.gateway.signals).toHaveLength(2);
  });

  it('enrolls on an entry event and signals the contact\'s next events to the new enrollment, in order', async () => {
    t = await createTestApp({ dispatcher: {} });
    const { id } = (await (await t.call('POST', '/api/contacts', { externalId: 'new' })).json()) as { id: string };
    await post({ contactId: id, name: 'signed_up' });
    await post({ contactId: id, name: 'page.viewed', properties: { n: 2 } });
    await t.dispatcher!.drain();
    expect(t.gateway.starts).toEqual([expect.objectContaining({ funnelId: 'welcome', contactId: id, trigger: expect.objectContaining({ name: 'signed_up' }) })]);
    expect(t.gateway.signals).toEqual([{ workflowId: `funnel:welcome:${id}`, event: expect.objectContaining({ name: 'page.viewed' }) }]);
  });

  it('redoes the events of a dispatcher that died mid-dispatch once its lease runs out', async () => {
    t = await createTestApp({ dispatcher: { leaseMs: 300, pollMs: 50 } });
    const contactId = await enrolledContact(1);
    for (let n = 0; n < 3; n++) await post({ contactId, name: 'page.viewed', properties: { n } });
    // Another server claimed the three events and died before dispatching any of them.
    const dead = await claimEvents(t.db, { now: Date.now(), leaseMs: 300, limit: 10, busy: new Set(), needsNothing: () => false, dispatchedAt: t.clock.now });
    expect(dead.rows).toHaveLength(3);
    await post({ contactId, name: 'page.viewed', properties: { n: 3 } });
    expect(await t.dispatcher!.drain()).toBe(0); // held by the live lease: nobody else touches the contact, not even its newer event
    await t.dispatcher!.dispatchContact(contactId);
    expect(signalled(contactId)).toEqual([]);
    await sleep(350);
    expect(await t.dispatcher!.drain()).toBe(4);
    expect(signalled(contactId)).toEqual([0, 1, 2, 3]);
    expect(await undispatched()).toBe(0);
  });

  it('redoes a lane a crash interrupted: the workflow gets every event again, in order (it ignores repeats by id)', async () => {
    t = await createTestApp({ dispatcher: { leaseMs: 300 } });
    const contactId = await enrolledContact(1);
    for (let n = 0; n < 3; n++) await post({ contactId, name: 'page.viewed', properties: { n } });
    const signal = t.gateway.signal.bind(t.gateway);
    let calls = 0;
    t.gateway.signal = async (workflowId: string, event: FunnelEvent) => {
      if (++calls === 2) throw new Error('process killed'); // the dispatch dies half-way through the contact's events
      return signal(workflowId, event);
    };
    await t.dispatcher!.drain();
    expect(signalled(contactId)).toEqual([0]);
    expect(await undispatched()).toBe(3); // none is marked before all of the lane's signals went out
    expect(t.errors.map((e) => e.msg)).toContain('event dispatch failed; retried after the lease');
    await sleep(350);
    await t.dispatcher!.drain();
    expect(signalled(contactId)).toEqual([0, 0, 1, 2]);
    expect(await undispatched()).toBe(0);
  });

  it('sends a contact\'s pending events to a workflow in one signal', async () => {
    t = await createTestApp({ dispatcher: {} });
    const contactId = await enrolledContact(1);
    for (let n = 0; n < 12; n++) await post({ contactId, name: 'page.viewed', properties: { n } });
    await t.dispatcher!.drain();
    expect(signalled(contactId)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(t.gateway.manySignals).toBe(1);
  });

  it('keeps answering while Temporal is down and catches up in order once it is back', async () => {
    t = await createTestApp({ dispatcher: { pollMs: 20, maxBackoffMs: 100 } });
    const contactId = await enrolledContact(1);
    t.gateway.signalError = new UnavailableError('temporal: signal failed: connection refused');
    t.dispatcher!.start();
    const started = Date.now();
    for (let n = 0; n < 10; n++) {
      const res = await t.call('POST', '/api/events', { contactId, name: 'page.viewed', properties: { n } });
      expect(res.status).toBe(202);
      expect(((await res.json()) as { dispatched: boolean }).dispatched).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    await sleep(300); // the dispatcher tried, gave the events back, paused
    expect(await undispatched()).toBe(10);
    t.gateway.signalError = null;
    await eventually(async () => (await undispatched()) === 0, 'dispatch caught up', 5000, 20);
    expect(signalled(contactId)).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });

  it('dispatches an event stored by ingestEvent after the contact\'s earlier events still waiting for the dispatcher', async () => {
    t = await createTestApp({ dispatcher: {} });
    const contactId = await enrolledContact(1);
    await post({ contactId, name: 'page.viewed', properties: { n: 1 } });
    await post({ contactId, name: 'page.viewed', properties: { n: 2 } });
    const clicked = await ingestEvent(t.deps, { contactId, name: 'invite.clicked', properties: { n: 3, funnelId: 'manual' } });
    expect(clicked).toMatchObject({ duplicate: false, dispatched: true });
    expect(signalled(contactId)).toEqual([1, 2, 3]);
  });

  it('stops with nothing in flight and leaves undispatched events to the next start', async () => {
    t = await createTestApp({ dispatcher: { pollMs: 20 } });
    const contactId = await enrolledContact(1);
    await post({ contactId, name: 'page.viewed', properties: { n: 1 } });
    const other = new EventDispatcher(t.deps, { pollMs: 20 }).start();
    await eventually(async () => (await undispatched()) === 0, 'dispatched', 5000, 20);
    await other.stop();
    await post({ contactId, name: 'page.viewed', properties: { n: 2 } });
    await sleep(100);
    expect(await undispatched()).toBe(1);
    expect(await t.dispatcher!.drain()).toBe(1);
    expect(signalled(contactId)).toEqual([1, 2]);
  });
});
