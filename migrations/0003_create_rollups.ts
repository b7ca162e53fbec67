import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
  ROLLUP_INDEXES, ROLLUP_REBUILD, ROLLUP_TABLES, ROLLUP_TABLE_NAMES, ROLLUP_TRIGGERS, ROLLUP_TRIGGER_NAMES,
} from './0003_create_rollups.sql';
import { PG_ROLLUP_REBUILD, PG_ROLLUP_TABLES, PG_ROLLUP_TRIGGERS, PG_ROLLUP_TRIGGER_DROPS } from './0003_create_rollups.pg.sql';

/*
 * Frozen in time: this migration imports no application code. Its SQL is inlined in ./0003_create_rollups.sql.ts and
 * the attribution backfill below is the model code of the day it shipped, so an old database migrated today gets
 * exactly what it got then (test/migrations/frozen-0003.test.ts).
 */

/**
 * Analytics rollups: per-day and per-hour counters of enrollments, conversions, deliveries, skip/defer reasons,
 * attributed credit and split assignments, and per-day time-to-conversion histograms, kept current by triggers on the ledger
 * tables (SQLite; on PostgreSQL triggers calling plpgsql functions, same counting). Existing conversions get the credit
 * of all five attribution models, then the rollups are built from the existing rows, then the triggers take over —
 * all in one transaction (on PostgreSQL the migrator's own).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const steps = async (trx: Kysely<any>) => {
    await run(trx, pg ? PG_ROLLUP_TABLES : ROLLUP_TABLES);
    await run(trx, ROLLUP_INDEXES);
    await backfillAttributions(trx);
    await run(trx, pg ? PG_ROLLUP_REBUILD : ROLLUP_REBUILD);
    await run(trx, pg ? PG_ROLLUP_TRIGGERS : ROLLUP_TRIGGERS);
  };
  if (db.isTransaction) await steps(db);
  else await db.transaction().execute(steps);
}

/** Drops the triggers, the rollup tables and the indexes `up` created (the backfilled credit stays). */
export async function down(db: Kysely<any>): Promise<void> {
  await run(db, isPostgres(db) ? PG_ROLLUP_TRIGGER_DROPS : ROLLUP_TRIGGER_NAMES.map((t) => `DROP TRIGGER IF EXISTS ${t}`));
  await run(db, ROLLUP_TABLE_NAMES.map((t) => `DROP TABLE IF EXISTS ${t}`));
  await run(db, ['deliveries_funnel_scheduled', 'attributions_funnel_time', 'touch_log_funnel_time', 'split_assignments_funnel_time']
    .map((i) => `DROP INDEX IF EXISTS ${i}`));
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function run(db: Kysely<any>, statements: readonly string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
type Model = (typeof MODELS)[number];

/**
 * Gives every conversion the credit of all five models, recomputed from the ledger with the attribution settings of
 * the plan version its enrollment is pinned to; conversions whose plan version is not stored keep what they have.
 */
async function backfillAttributions(db: Kysely<any>): Promise<void> {
  const rows = await sql<{ id: string; enrollment_id: string; funnel_id: string; value: number; occurred_at: number; plan: string }>`
    SELECT c.id, c.enrollment_id, c.funnel_id, c.value, c.occurred_at, v.plan
    FROM conversions c JOIN enrollments e ON e.id = c.enrollment_id
    JOIN funnel_versions v ON v.funnel_id = e.funnel_id AND v.version = e.version
    WHERE (SELECT count(DISTINCT a.model) FROM attributions a WHERE a.conversion_id = c.id) < ${MODELS.length}`.execute(db);
  for (const row of rows.rows) {
    const plan = JSON.parse(row.plan) as { goal: { withinMs: number }; attribution?: { windowMs?: number; halfLifeMs?: number } };
    const windowMs = plan.attribution?.windowMs ?? plan.goal.withinMs;
    const halfLifeMs = plan.attribution?.halfLifeMs ?? 7 * 86_400_000;
    await db.deleteFrom('attributions').where('conversion_id', '=', row.id).execute();
    await attribute(db, { ...row, value: Number(row.value), occurred_at: Number(row.occurred_at) }, windowMs, halfLifeMs);
  }
}

async function attribute(db: Kysely<any>, c: { id: string; enrollment_id: string; funnel_id: string; value: number; occurred_at: number }, windowMs: number, halfLifeMs: number): Promise<void> {
  const at = sql<number>`coalesce(sent_at, delivered_at)`;
  const touches = (await db.selectFrom('deliveries').select(['id', 'touch_id', at.as('at')])
    .where('enrollment_id', '=', c.enrollment_id).where('status', 'in', ['sent', 'delivered', 'outbox'])
    .where(at, '<=', c.occurred_at).where(at, '>=', c.occurred_at - windowMs)
    .orderBy(at).orderBy('created_at').orderBy('id').execute())
    .map((r) => ({ deliveryId: r.id as string, touchId: r.touch_id as string, at: Number(r.at) }));
  if (touches.length === 0) return;
  const times = touches.map((t) => t.at);
  for (const model of MODELS) { // last_touch first: the rollup's `assisted` counter recognises the last touch by it
    const rows = shares(model, times, halfLifeMs).flatMap((share, i) => {
      const touch = touches[i]!;
      return share > 0 ? [{
        conversion_id: c.id, model, delivery_id: touch.deliveryId, funnel_id: c.funnel_id, touch_id: touch.touchId,
        credit: share, revenue: share * c.value, occurred_at: c.occurred_at,
      }] : [];
    });
    await db.insertInto('attributions').values(rows).execute();
  }
}

function shares(model: Model, times: readonly number[], halfLifeMs: number): number[] {
  const n = times.length;
  const out = new Array<number>(n).fill(0);
  switch (model) {
    case 'last_touch':
      out[n - 1] = 1;
      return out;
    case 'first_touch':
      out[0] = 1;
      return out;
    case 'linear':
      return out.fill(1 / n);
    case 'time_decay': {
      const newest = times[n - 1]!;
      const weights = times.map((t) => 2 ** (-(newest - t) / halfLifeMs));
      const total = weights.reduce((a, b) => a + b, 0);
      return weights.map((w) => w / total);
    }
    case 'position_based': {
      if (n === 1) return [1];
      if (n === 2) return [0.5, 0.5];
      out.fill((1 - 2 * 0.4) / (n - 2));
      out[0] = 0.4;
      out[n - 1] = 0.4;
      return out;
    }
  }
}
