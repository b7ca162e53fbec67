import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/db/contacts';
import { enroll } from '../../src/engine/enroll';
import { createBroadcast } from '../../src/broadcasts/create-broadcast';
import { createBroadcastActivities } from '../../src/broadcasts/activities';
import { UnavailableError } from '../../src/errors';
import { createTestApp, T0, type TestApp } from '../http/test-app';

describe('broadcasts/activities: a batch after a crash or a change', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(async () => { await t.close(); });

  const contacts = async (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await upsertContact(t.db, { email: `b${i}@example.test` }, 'api', T0)).contact.id);
    return out.sort();
  };
  const manual = () => t.deps.funnels.get('manual')!;
  const members = (id: string) => t.db.selectFrom('broadcast_members').select(['contact_id', 'status', 'reason']).where('broadcast_id', '=', id).orderBy('contact_id').execute();

  it('finds the enrollment an interrupted attempt made instead of making a second one, and skips what changed since the snapshot', async () => {
    const [a, b, c, d] = await contacts(4);
    const broadcast = await createBroadcast(t.deps, manual(), {}, 50);
    expect(t.gateway.broadcasts).toEqual([{ broadcastId: broadcast.id, ratePerSecond: 50 }]);
    // The previous attempt marked `a` and enrolled it, then died before recording it.
    await t.db.updateTable('broadcast_members').set({ status: 'enrolling', at: T0 }).where('contact_id', '=', a!).execute();
    t.clock.now = T0 + 1;
    await enroll(t.deps, 'manual', a!);
    await enroll(t.deps, 'manual', b!); // `b` entered meanwhile by another way
    await t.call('DELETE', `/api/contacts/${c}`); // `c` was erased

    const acts = createBroadcastActivities({ db: t.db, broadcastGateway: t.gateway });
    expect(await acts.enrollBroadcastBatch({ broadcastId: broadcast.id, limit: 10, now: T0 + 2 })).toEqual({ processed: 4, remaining: 0 });
    expect(await members(broadcast.id)).toEqual([
      { contact_id: a, status: 'enrolled', reason: null }, { contact_id: b, status: 'skipped', reason: 'already_enrolled' },
      { contact_id: c, status: 'skipped', reason: 'contact_gone' }, { contact_id: d, status: 'enrolled', reason: null },
    ].sort((x, y) => x.contact_id!.localeCompare(y.contact_id!)));
    const perContact = await t.db.selectFrom('enrollments').select(['contact_id', (eb) => eb.fn.countAll().as('n')]).groupBy('contact_id').execute();
    expect(perContact.every((r) => Number(r.n) === 1)).toBe(true);
    expect(await acts.enrollBroadcastBatch({ broadcastId: broadcast.id, limit: 10, now: T0 + 3 })).toEqual({ processed: 0, remaining: 0 });
    expect(await acts.finishBroadcast({ broadcastId: broadcast.id, now: T0 + 4 })).toEqual({ enrolled: 2, skipped: 2 });
    expect((await t.call('GET', `/api/broadcasts/${broadcast.id}`).then((r) => r.json()))).toMatchObject({
      status: 'done', enrolled: 2, skipped: 2, skippedByReason: { already_enrolled: 1, contact_gone: 1 },
    });
  });

  it('stores nothing when Temporal refuses to start the broadcast', async () => {
    await contacts(2);
    t.gateway.startError = new UnavailableError('temporal down');
    const res = await t.call('POST', '/api/funnels/manual/broadcasts', {});
    expect(res.status).toBe(503);
    expect(await t.db.selectFrom('broadcasts').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('broadcast_members').selectAll().execute()).toEqual([]);
  });
});
