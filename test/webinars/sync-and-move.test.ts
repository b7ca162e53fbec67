import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, T0, type TestApp } from '../http/test-app';
import { storeFunnelVersions } from '../../src/db/funnels';
import { upsertContact } from '../../src/db/contacts';
import { syncWebinars } from '../../src/webinars/sync-webinars';
import { assignSession } from '../../src/webinars/assign-session';
import { moveWebinar } from '../../src/webinars/move-webinar';
import { findWebinar, sessionFor } from '../../src/webinars/webinar-rows';
import { ValidationError } from '../../src/errors';
import { planWith, rows } from './fixtures';

const H = 3_600_000;
const START = '2025-03-05T19:00:00+03:00';
const at = (iso: string) => Date.parse(iso);

describe('webinars/sync', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('stores every declared webinar with its start, schedule and lead', async () => {
    const plan = planWith('school', [
      { id: 'live', startsAt: START, replayUrl: 'https://meet.example.test/replay', durationMs: 90 * 60_000 },
      { id: 'auto', schedule: { times: ['19:00'], weekdays: [1, 3] }, minLeadMs: 2 * H },
    ]);
    expect(await syncWebinars(t.db, [plan], T0)).toEqual({ problems: [], changed: [] });
    const stored = await t.db.selectFrom('webinars').selectAll().orderBy('id').execute();
    expect(stored).toEqual([
      { id: 'auto', funnel_id: 'school', title: 'Вебинар auto', starts_at: null, duration_ms: 2 * H, join_url: 'https://meet.example.test/auto', replay_url: null,
        schedule: JSON.stringify({ times: ['19:00'], weekdays: [1, 3] }), min_lead_ms: 2 * H, moved_at: null, updated_at: T0 },
      { id: 'live', funnel_id: 'school', title: 'Вебинар live', starts_at: at('2025-03-05T16:00:00Z'), duration_ms: 90 * 60_000, join_url: 'https://meet.example.test/live',
        replay_url: 'https://meet.example.test/replay', schedule: null, min_lead_ms: 0, moved_at: null, updated_at: T0 },
    ]);
  });

  it('refuses the second funnel declaring a webinar id, and keeps the owner when the load order changes', async () => {
    const a = planWith('a-funnel', [{ id: 'shared', startsAt: START }]);
    const b = planWith('b-funnel', [{ id: 'shared', startsAt: '2025-04-01T10:00:00Z' }]);
    const first = await syncWebinars(t.db, [b, a], T0);
    expect(first.problems).toEqual([expect.objectContaining({ funnel: 'a-funnel', area: 'webinars', message: 'webinar "shared" is already declared by funnel "b-funnel"' })]);
    const second = await syncWebinars(t.db, [a, b], T0 + 1);
    expect(second.problems).toEqual([expect.objectContaining({ funnel: 'a-funnel' })]);
    expect(await findWebinar(t.db, 'shared')).toMatchObject({ funnel_id: 'b-funnel', starts_at: at('2025-04-01T10:00:00Z') });
  });

  it('moves the sessions of the old start when the file\'s start changes, and reports the change', async () => {
    await syncWebinars(t.db, [planWith('school', [{ id: 'live', startsAt: START }])], T0);
    const c = (await upsertContact(t.db, { email: 'a@example.test' }, 'test')).contact.id;
    await assignSession(t.db, { webinarId: 'live', contactId: c, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
    const result = await syncWebinars(t.db, [planWith('school', [{ id: 'live', startsAt: '2025-03-06T19:00:00+03:00' }])], T0 + 1);
    expect(result.changed).toEqual([{ webinarId: 'live', funnelId: 'school', from: at(START), to: at('2025-03-06T16:00:00Z'), sessionsMoved: 1 }]);
    expect((await sessionFor(t.db, 'live', c))?.starts_at).toBe(at('2025-03-06T16:00:00Z'));
  });

  it('keeps a start moved through the API until the file\'s start is edited', async () => {
    const v1 = planWith('school', [{ id: 'live', startsAt: START }]);
    await storeFunnelVersions(t.db, [{ plan: v1, version: 'v1' }], T0);
    await syncWebinars(t.db, [v1], T0);
    const moved = at('2025-03-07T16:00:00Z');
    await moveWebinar(t.deps, 'live', moved);

    // Restart with the same file, or with a file edited elsewhere: the API's start stays.
    await syncWebinars(t.db, [v1], T0 + 10);
    const v2 = { ...v1, name: 'renamed' };
    await storeFunnelVersions(t.db, [{ plan: v2, version: 'v2' }], T0 + 20);
    await syncWebinars(t.db, [v2], T0 + 20);
    expect(await findWebinar(t.db, 'live')).toMatchObject({ starts_at: moved, moved_at: T0, title: 'Вебинар live' });

    // The file's startsAt edited to a new value: the file wins again.
    const v3 = planWith('school', [{ id: 'live', startsAt: '2025-03-10T19:00:00+03:00' }]);
    await storeFunnelVersions(t.db, [{ plan: v3, version: 'v3' }], T0 + 30);
    const result = await syncWebinars(t.db, [v3], T0 + 30);
    expect(await findWebinar(t.db, 'live')).toMatchObject({ starts_at: at('2025-03-10T16:00:00Z'), moved_at: null });
    expect(result.changed).toEqual([expect.objectContaining({ webinarId: 'live', from: moved, to: at('2025-03-10T16:00:00Z') })]);
  });
});

describe('webinars/move', () => {
  let t: TestApp;
  let anna: string;
  let boris: string;
  let vera: string;
  beforeEach(async () => {
    t = await createTestApp();
    await syncWebinars(t.db, [planWith('school', [{ id: 'live', startsAt: START }, { id: 'auto', schedule: { times: ['19:00'] } }])], T0);
    [anna, boris, vera] = await Promise.all(['anna', 'boris', 'vera'].map(async (n) => (await upsertContact(t.db, { email: `${n}@example.test` }, 'test')).contact.id)) as [string, string, string];
    for (const c of [anna, boris]) await assignSession(t.db, { webinarId: 'live', contactId: c, contactTimezone: null, fallbackTimezone: 'UTC', now: T0 });
    // Anna is inside the welcome funnel; Boris finished his; Vera has no session.
    for (const [id, c, status] of [['en_anna', anna, 'active'], ['en_boris', boris, 'exited'], ['en_vera', vera, 'active']] as const) {
      await t.db.insertInto('enrollments').values({
        id, funnel_id: 'welcome', contact_id: c, version: 'v1', workflow_id: `funnel:welcome:${c}`, status, current_step: null,
        exit_reason: null, trigger_event_id: null, enrolled_at: T0, finished_at: status === 'active' ? null : T0, converted_at: null,
      }).execute();
    }
  });
  afterEach(() => t.close());

  it('moves the webinar and its sessions, stores webinar.moved per contact and signals the active enrollments', async () => {
    const to = at('2025-03-06T15:00:00Z');
    const result = await moveWebinar(t.deps, 'live', to);
    expect(result).toMatchObject({ sessionsMoved: 2, enrollmentsSignalled: 1, webinar: { id: 'live', starts_at: to, moved_at: T0 } });
    expect((await sessionFor(t.db, 'live', anna))?.starts_at).toBe(to);
    expect((await sessionFor(t.db, 'live', boris))?.starts_at).toBe(to);

    const events = await t.db.selectFrom('events').selectAll().orderBy('contact_id').execute();
    expect(events.map((e) => [e.contact_id, e.name, JSON.parse(e.properties), e.idempotency_key]).sort()).toEqual([
      [anna, 'webinar.moved', { webinarId: 'live', startsAt: '2025-03-06T15:00:00.000Z' }, `webinar-moved:live:2025-03-06T15:00:00.000Z:${anna}`],
      [boris, 'webinar.moved', { webinarId: 'live', startsAt: '2025-03-06T15:00:00.000Z' }, `webinar-moved:live:2025-03-06T15:00:00.000Z:${boris}`],
    ].sort());
    expect(t.gateway.signals).toEqual([{ workflowId: `funnel:welcome:${anna}`, event: expect.objectContaining({ name: 'webinar.moved', properties: { webinarId: 'live', startsAt: '2025-03-06T15:00:00.000Z' } }) }]);
  });

  it('signals again when the webinar moves back to an earlier start', async () => {
    const a = at('2025-03-06T15:00:00Z');
    await moveWebinar(t.deps, 'live', a);
    t.clock.now += 1000;
    await moveWebinar(t.deps, 'live', at(START));
    t.clock.now += 1000;
    await moveWebinar(t.deps, 'live', a);
    expect(t.gateway.signals.map((s) => s.event.properties.startsAt)).toEqual([
      '2025-03-06T15:00:00.000Z', '2025-03-05T16:00:00.000Z', '2025-03-06T15:00:00.000Z',
    ]);
    expect(await rows(t.db, 'events')).toBe(6);
  });

  it('refuses an auto-webinar, a start in the past and an unknown webinar, changing nothing', async () => {
    await expect(moveWebinar(t.deps, 'auto', T0 + H)).rejects.toThrow(ValidationError);
    await expect(moveWebinar(t.deps, 'live', T0 - 1)).rejects.toThrow(/in the past/);
    await expect(moveWebinar(t.deps, 'nope', T0 + H)).rejects.toThrow(/not found/);
    expect(await findWebinar(t.db, 'live')).toMatchObject({ starts_at: at(START), moved_at: null });
    expect(await rows(t.db, 'events')).toBe(0);
    expect(t.gateway.signals).toEqual([]);
  });

  it('treats a move to the current start as nothing to do', async () => {
    expect(await moveWebinar(t.deps, 'live', at(START))).toMatchObject({ sessionsMoved: 0, enrollmentsSignalled: 0 });
    expect(await rows(t.db, 'events')).toBe(0);
  });
});
