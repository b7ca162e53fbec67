import { Migrator, sql, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialectOf, type Db } from '../../src/db/database';
import type { Plan } from '../../src/dsl/plan';
import { ROLLUP_TABLE_NAMES } from '../../src/analytics/rollup-ddl';
import { rebuildRollups } from '../../src/analytics/rollup-rebuild';
import { funnelStats, funnelStatsFromRawTables } from '../../src/analytics/funnel-stats';
import { histogramMedian, periodPieces, splitPeriod } from '../../src/analytics/periods';
import * as createCore from '../../migrations/0001_create_core';
import * as addChannels from '../../migrations/0002_add_channels';
import * as createRollups from '../../migrations/0003_create_rollups';
import { addDelivery, addEnrollment, openAnalyticsDb } from './analytics-db';
import { freshDatabase } from '../helpers/test-db';
import { buildHistory, type SyntheticTouch } from './synthetic-history';

const H = 3_600_000;
const D = 24 * H;

const plan: Plan = {
  id: 'gamma', name: 'Gamma', entry: null, timezone: 'UTC', attributes: [], events: [],
  goal: { event: 'order.paid', withinMs: 6 * D, exit: false, value: 10 },
  steps: [{ type: 'email', id: 'g1', subject: 's', text: 't' }, { type: 'sms', id: 'g2', text: 't', holdout: 0.3 }],
};
const touches: SyntheticTouch[] = [
  { id: 'g1', channel: 'email' }, { id: 'g2', channel: 'sms', holdout: 0.3 },
  { id: 'g3', channel: 'telegram', variants: { splitId: 's', ids: { a: 'g3a', b: 'g3b', c: 'g3c' } } },
];

/** Every rollup row with a non-zero counter, floats rounded: what the stats can see. */
async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ROLLUP_TABLE_NAMES) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db)).rows;
    out[table] = rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v])))
      .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && !['hour', 'day', 'bucket'].includes(k)))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

describe('analytics/rollups', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeEach(async () => { ({ db, close } = await openAnalyticsDb()); });
  afterEach(async () => { await close(); });

  it('are kept by the triggers exactly as a rebuild from the ledger computes them, through updates and deletes', async () => {
    await buildHistory(db, plan, touches, 120, 5);
    const counts = await snapshot(db);
    expect(counts.rollup_touch_days!.length).toBeGreaterThan(10);
    expect(counts.rollup_split_hours!.length).toBeGreaterThan(10);
    expect(counts.rollup_lag_days!.length).toBeGreaterThan(10);
    await rebuildRollups(db);
    expect(await snapshot(db)).toEqual(counts);

    // Edits the engine does not make today, but the rollups must survive: moved, re-statused and deleted rows.
    await db.updateTable('deliveries').set((eb) => ({ scheduled_at: eb('scheduled_at', '+', 5 * H) })).where('touch_id', '=', 'g1').execute();
    await db.updateTable('deliveries').set({ status: 'held_out' }).where('touch_id', '=', 'g2').where('status', '=', 'failed').execute();
    await db.updateTable('conversions').set((eb) => ({ occurred_at: eb('occurred_at', '-', 2 * H), value: 99 })).where('id', 'in',
      db.selectFrom('conversions').select('id').orderBy('id').limit(5)).execute();
    await db.updateTable('enrollments').set({ status: 'failed' }).where('status', '=', 'active').where('id', 'like', '%e1%').execute();
    await db.deleteFrom('touch_log').where('reason', '=', 'quiet_hours').execute();
    await db.deleteFrom('split_assignments').where('variant_id', '=', 'c').execute();
    const victims = db.selectFrom('conversions').select('id').orderBy('id', 'desc').limit(7);
    await db.deleteFrom('attributions').where('conversion_id', 'in', victims).where('model', '<>', 'last_touch').execute();
    await db.deleteFrom('attributions').where('conversion_id', 'in', victims).execute();
    await db.deleteFrom('conversions').where('id', 'not in', db.selectFrom('attributions').select('conversion_id')).execute();
    const afterEdits = await snapshot(db);
    expect(afterEdits).not.toEqual(counts);
    await rebuildRollups(db);
    expect(await snapshot(db)).toEqual(afterEdits);
    for (const model of ['last_touch', 'time_decay'] as const) {
      expect(await funnelStats(db, plan, { model })).toEqual(await funnelStatsFromRawTables(db, plan, { model }));
    }
  });

  it('cost nothing on updates that change no counted column', async () => {
    await addEnrollment(db, { id: 'e1', funnel_id: 'gamma', enrolled_at: 5 * D });
    await addDelivery(db, { id: 'd1', enrollmentId: 'e1', funnelId: 'gamma', touchId: 'g1', status: 'sent', at: 5 * D });
    const before = await snapshot(db);
    await db.updateTable('deliveries').set({ attempts: 7, recipient: 'x@example.test', provider_message_id: 'p' }).execute();
    expect(await snapshot(db)).toEqual(before);
    expect((await funnelStats(db, plan, { model: 'linear' })).touches[0]).toMatchObject({ touchId: 'g1', sent: 1 });
  });
});

describe('migrations/0003_create_rollups', () => {
  it('gives existing conversions all five models and builds the rollups from existing rows', async () => {
    const { db, close } = await freshDatabase({ migrated: false });
    try {
      const upTo = (migrations: Record<string, Migration>) => new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
      expect((await upTo({ '0001_create_core': createCore, '0002_add_channels': addChannels })).error).toBeUndefined();
      const old: Plan = { ...plan, attribution: { windowMs: 4 * D, halfLifeMs: D } };
      await db.insertInto('funnel_versions').values({ funnel_id: 'gamma', version: 'v1', name: 'Gamma', plan: JSON.stringify(old), created_at: 0 }).execute();
      await addEnrollment(db, { id: 'e1', funnel_id: 'gamma', enrolled_at: 10 * D });
      await addDelivery(db, { id: 'd0', enrollmentId: 'e1', funnelId: 'gamma', touchId: 'g0', status: 'delivered', at: 10 * D }); // outside the 4-day window
      await addDelivery(db, { id: 'd1', enrollmentId: 'e1', funnelId: 'gamma', touchId: 'g1', status: 'delivered', at: 12 * D });
      await addDelivery(db, { id: 'd2', enrollmentId: 'e1', funnelId: 'gamma', touchId: 'g2', status: 'sent', at: 13 * D });
      await db.insertInto('conversions').values({ id: 'cv1', enrollment_id: 'e1', funnel_id: 'gamma', contact_id: 'ct_e1', event_id: 'ev1', value: 300, occurred_at: 15 * D }).execute();
      await db.insertInto('attributions').values({ conversion_id: 'cv1', model: 'last_touch', delivery_id: 'd2', funnel_id: 'gamma', touch_id: 'g2', credit: 1, revenue: 300, occurred_at: 15 * D }).execute();

      expect((await upTo({ '0001_create_core': createCore, '0002_add_channels': addChannels, '0003_create_rollups': createRollups })).error).toBeUndefined();
      const rows = await db.selectFrom('attributions').select(['model', 'touch_id', 'credit']).orderBy('model').orderBy('touch_id').execute();
      expect(rows.map((r) => `${r.model}:${r.touch_id}:${r.credit.toFixed(4)}`)).toEqual([
        'first_touch:g1:1.0000', 'last_touch:g2:1.0000', 'linear:g1:0.5000', 'linear:g2:0.5000',
        'position_based:g1:0.5000', 'position_based:g2:0.5000', 'time_decay:g1:0.3333', 'time_decay:g2:0.6667',
      ]);
      const stats = await funnelStats(db, old, { model: 'time_decay' });
      expect(stats).toMatchObject({ enrolled: 1, converted: 1, revenue: 300 });
      expect(stats.touches.map((t) => [t.touchId, t.sent, t.converted, t.revenue, t.assisted])).toEqual([['g1', 1, 0.3333, 100, 1], ['g2', 1, 0.6667, 200, 0], ['g0', 1, 0, 0, 0]]);
      expect(await funnelStats(db, old, { model: 'time_decay' })).toEqual(await funnelStatsFromRawTables(db, old, { model: 'time_decay' }));

      // the triggers are on: new rows count at once; down removes everything up added
      await addEnrollment(db, { id: 'e2', funnel_id: 'gamma', enrolled_at: 20 * D });
      expect((await funnelStats(db, old, { model: 'linear' })).enrolled).toBe(2);
      await createRollups.down(db);
      const left = dialectOf(db) === 'postgres'
        ? await sql<{ name: string }>`SELECT relname AS name FROM pg_class WHERE relname LIKE 'rollup%' OR relname LIKE '%_funnel_time' OR relname = 'deliveries_funnel_scheduled'
            UNION SELECT tgname FROM pg_trigger WHERE tgname LIKE 'rollup%' UNION SELECT proname FROM pg_proc WHERE proname LIKE 'rollup%'`.execute(db)
        : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name LIKE 'rollup%' OR name LIKE '%_funnel_time' OR name = 'deliveries_funnel_scheduled'`.execute(db);
      expect(left.rows).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('analytics/periods', () => {
  it('cuts a period into whole days, whole hours and ragged ends', () => {
    const from = 2 * D + 5 * H + 17;
    const to = 6 * D + 3 * H + 9;
    expect(periodPieces(from, to)).toEqual([
      { grain: 'day', span: [3, 6] },
      { grain: 'hour', span: [54, 72] }, { grain: 'raw', span: [from, 54 * H] },
      { grain: 'hour', span: [144, 147] }, { grain: 'raw', span: [147 * H, to] },
    ]);
    expect(periodPieces(0, 8.64e15)).toEqual([{ grain: 'day', span: [0, 1e8] }]);
    expect(periodPieces(H + 5, H + 10)).toEqual([{ grain: 'raw', span: [H + 5, H + 10] }]);
    expect(splitPeriod(10, 10, H)).toEqual({ whole: null, edges: [] });
  });

  it('estimates the (lower) median of a histogram inside its bucket', () => {
    expect(histogramMedian(new Map())).toBeNull();
    expect(histogramMedian(new Map([[0, 3]]))).toBe(500);
    // bucket 9 is [2000 ms, 2181 ms): one value sits at its geometric middle
    const one = histogramMedian(new Map([[9, 1]]))!;
    expect(one).toBeGreaterThanOrEqual(2000);
    expect(one).toBeLessThan(2000 * 2 ** (1 / 8));
    // 3 values in bucket 9, 1 in bucket 80: the lower median is in bucket 9
    expect(histogramMedian(new Map([[80, 1], [9, 3]]))).toBeLessThan(2181);
    expect(histogramMedian(new Map([[80, 3], [9, 1]]))).toBeGreaterThan(1000 * 2 ** (79 / 8));
  });
});
