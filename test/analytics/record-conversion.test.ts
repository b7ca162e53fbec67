import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedDatabase, type Db } from '../../src/db/database';
import { isGoalHit, recordConversion } from '../../src/analytics/record-conversion';
import type { EnrollmentRow, EventRow } from '../../src/db/schema';
import type { Goal } from '../../src/dsl/plan';

const D = 86_400_000;
const T0 = Date.parse('2026-01-05T07:00:00Z');
const goal: Goal = { event: 'order.paid', withinMs: 7 * D, exit: true };

describe('recordConversion (last touch)', () => {
  let db: Db;
  let enrollment: EnrollmentRow;
  beforeEach(async () => {
    db = await openMigratedDatabase(join(mkdtempSync(join(tmpdir(), 'af-conv-')), 'db.sqlite'));
    await db.insertInto('contacts').values({ id: 'ct_1', external_id: null, email: 'a@x.test', phone: null, telegram_chat_id: null, name: null, timezone: null, locale: null, attributes: '{}', created_at: T0, updated_at: T0 }).execute();
    enrollment = await db.insertInto('enrollments').values({
      id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', version: 'v1', workflow_id: 'funnel:f:ct_1', status: 'active', current_step: null,
      exit_reason: null, trigger_event_id: null, enrolled_at: T0, finished_at: null, converted_at: null,
    }).returningAll().executeTakeFirstOrThrow();
    const touch = (id: string, touchId: string, at: number, status: 'delivered' | 'failed' | 'outbox') => db.insertInto('deliveries').values({
      id, enrollment_id: 'en_1', funnel_id: 'f', contact_id: 'ct_1', touch_id: touchId, channel: 'email', status, scheduled_at: at, created_at: at,
      sent_at: status === 'failed' ? null : at, attempts: 1,
    }).execute();
    await touch('dl_1', 'welcome', T0, 'delivered');
    await touch('dl_2', 'offer', T0 + 2 * D, 'delivered');
    await touch('dl_3', 'broken', T0 + 3 * D, 'failed');
    await touch('dl_4', 'late', T0 + 5 * D, 'delivered');
  });
  afterEach(async () => { await db.destroy(); });

  const event = (id: string, at: number, value: number | null = 1000): EventRow => ({
    id, contact_id: 'ct_1', name: 'order.paid', properties: '{}', value, idempotency_key: null, occurred_at: at, received_at: at, dispatched_at: null,
  });

  it('credits the last touch delivered before the goal, never a failed one or one after it', async () => {
    expect(await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D))).toBe(true);
    expect(await db.selectFrom('attributions').select(['touch_id', 'credit', 'revenue', 'model']).execute())
      .toEqual([{ touch_id: 'offer', credit: 1, revenue: 1000, model: 'last_touch' }]);
    expect(await db.selectFrom('enrollments').select(['converted_at', 'status']).executeTakeFirstOrThrow()).toEqual({ converted_at: T0 + 4 * D, status: 'active' });
  });

  it('counts one conversion per enrollment; a repeat of the same event is recognised, a later goal is not', async () => {
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D));
    expect(await recordConversion(db, goal, enrollment, event('ev_1', T0 + 4 * D))).toBe(true);
    expect(await recordConversion(db, goal, enrollment, event('ev_2', T0 + 6 * D))).toBe(false);
    expect(await db.selectFrom('conversions').select('event_id').execute()).toEqual([{ event_id: 'ev_1' }]);
  });

  it('turns a finished enrollment into converted', async () => {
    await db.updateTable('enrollments').set({ status: 'exited', finished_at: T0 + 6 * D }).execute();
    await recordConversion(db, goal, enrollment, event('ev_1', T0 + 6 * D + 1));
    expect((await db.selectFrom('enrollments').select('status').executeTakeFirstOrThrow()).status).toBe('converted');
  });

  it('only counts the goal inside its window after enrollment', () => {
    expect(isGoalHit(goal, enrollment, event('a', T0 + 7 * D))).toBe(true);
    expect(isGoalHit(goal, enrollment, event('b', T0 + 7 * D + 1))).toBe(false);
    expect(isGoalHit(goal, enrollment, event('c', T0 - 1))).toBe(false);
    expect(isGoalHit(goal, enrollment, { ...event('d', T0 + D), name: 'order.created' })).toBe(false);
  });
});
