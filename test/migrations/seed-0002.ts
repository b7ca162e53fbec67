import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/*
 * A database as the engine left it before migration 0003: raw rows in the tables of 0001 and 0002 only (no
 * application code writes them, so this history cannot drift when the engine changes), and a canonical digest of
 * what a migration made of it.
 */

const D = 86_400_000;
const H = 3_600_000;

/** A tiny seeded PRNG. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const PLANS = {
  alpha: { id: 'alpha', goal: { event: 'order.paid', withinMs: 10 * D }, attribution: { windowMs: 5 * D, halfLifeMs: 2 * D } },
  beta: { id: 'beta', goal: { event: 'order.paid', withinMs: 8 * D } },
} as const;

const STATUSES = ['sent', 'delivered', 'outbox', 'failed', 'skipped', 'held_out', 'pending', 'deferred'] as const;
const REASONS = { skipped: ['no_consent', 'no_address', null], failed: ['550 no such user', 'blocked'] } as const;

/** Writes 60 enrollments over three funnels (one whose plan version is not stored) with deliveries, deferrals, splits and conversions. */
export async function seedVersion0002(db: Kysely<any>, seed = 20_260_301): Promise<void> {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  for (const plan of Object.values(PLANS)) {
    await db.insertInto('funnel_versions').values({ funnel_id: plan.id, version: 'v1', name: plan.id, plan: JSON.stringify(plan), created_at: 0 }).execute();
  }
  const start = Date.parse('2025-02-01T00:00:00Z');
  for (let i = 0; i < 60; i++) {
    const funnel = pick(['alpha', 'alpha', 'beta', 'gamma'] as const);
    const e = `e${i}`;
    const contact = `ct${i}`;
    const enrolledAt = start + Math.floor(rand() * 20 * D);
    await db.insertInto('contacts').values({ id: contact, email: `${contact}@example.test`, attributes: '{}', created_at: enrolledAt, updated_at: enrolledAt }).execute();
    const converts = rand() < 0.45;
    await db.insertInto('enrollments').values({
      id: e, funnel_id: funnel, contact_id: contact, version: 'v1', workflow_id: `funnel:${funnel}:${contact}`,
      status: converts ? 'converted' : pick(['active', 'exited', 'exited']), enrolled_at: enrolledAt,
    }).execute();
    const reached: Array<{ id: string; touch: string; at: number }> = [];
    for (let t = 1; t <= 4; t++) {
      const id = `d${i}_${t}`;
      const touch = `${funnel[0]}${t}`;
      const at = enrolledAt + t * 9 * H + Math.floor(rand() * 6 * H);
      const status = pick(STATUSES);
      const isReached = status === 'sent' || status === 'delivered' || status === 'outbox';
      const reason = status === 'skipped' ? pick(REASONS.skipped) : status === 'failed' ? pick(REASONS.failed) : null;
      const sentAt = isReached ? at + 1000 : null;
      await db.insertInto('deliveries').values({
        id, enrollment_id: e, funnel_id: funnel, contact_id: contact, touch_id: touch, channel: pick(['email', 'sms', 'telegram']),
        status, reason, attempts: 1, scheduled_at: at, created_at: at, sent_at: sentAt,
        delivered_at: status === 'delivered' || (status === 'sent' && rand() < 0.5) ? at + 5000 : null,
        opened_at: isReached && rand() < 0.5 ? at + H : null, clicked_at: isReached && rand() < 0.3 ? at + 2 * H : null,
        replied_at: isReached && rand() < 0.1 ? at + 3 * H : null, unsubscribed_at: isReached && rand() < 0.05 ? at + 4 * H : null,
        failed_at: status === 'failed' ? at : null, variant: t === 3 ? pick(['s:a', 's:b']) : null, priority: 0,
      }).execute();
      if (isReached) reached.push({ id, touch, at: sentAt! });
      if (rand() < 0.3) {
        await db.insertInto('touch_log').values({
          id: `tl${i}_${t}`, delivery_id: id, enrollment_id: e, funnel_id: funnel, contact_id: contact, touch_id: touch, channel: 'email',
          kind: pick(['deferred', 'deferred', 'fallback']), reason: pick(['send_window', 'frequency_cap', 'email: no_consent']), until: at + H, at,
        }).execute();
      }
      if (t === 3) {
        await db.insertInto('split_assignments').values({ enrollment_id: e, split_id: 's', variant_id: pick(['a', 'b']), funnel_id: funnel, contact_id: contact, at }).execute();
      }
    }
    if (!converts) continue;
    const occurredAt = enrolledAt + 2 * D + Math.floor(rand() * 4 * D);
    const value = pick([0, 990, 14_900, 2_500.5]);
    await db.insertInto('conversions').values({ id: `cv${i}`, enrollment_id: e, funnel_id: funnel, contact_id: contact, event_id: `ev${i}`, value, occurred_at: occurredAt }).execute();
    await db.updateTable('enrollments').set({ converted_at: occurredAt }).where('id', '=', e).execute();
    const before = reached.filter((r) => r.at <= occurredAt);
    const last = before[before.length - 1];
    // As the engine of 0002 wrote them: last-touch credit only, sometimes none at all (or all five, which stay).
    const kind = pick(['last', 'last', 'none', 'all']);
    if (!last || kind === 'none') continue;
    const models = kind === 'all' ? ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] : ['last_touch'];
    for (const model of models) {
      await db.insertInto('attributions').values({
        conversion_id: `cv${i}`, model, delivery_id: last.id, funnel_id: funnel, touch_id: last.touch, credit: 1, revenue: value, occurred_at: occurredAt,
      }).execute();
    }
  }
}

/**
 * The schema objects (SQL hashed; SQLite only, PostgreSQL has no such text) and every table's rows (canonical, floats
 * rounded, hashed): what a migration produced.
 */
export async function digestDatabase(db: Kysely<any>): Promise<{ schema: Record<string, string>; tables: Record<string, { rows: number; sha256: string }> }> {
  const master = db.getExecutor().adapter instanceof PostgresAdapter
    ? (await sql<{ type: string; name: string; sql: string | null }>`
      SELECT 'table' AS type, tablename AS name, NULL AS sql FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely_%' ORDER BY tablename`.execute(db)).rows
    : (await sql<{ type: string; name: string; sql: string | null }>`
      SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY type, name`.execute(db)).rows;
  const schema = Object.fromEntries(master.map((m) => [`${m.type} ${m.name}`, sha256(m.sql ?? '')]));
  const tables: Record<string, { rows: number; sha256: string }> = {};
  for (const m of master.filter((x) => x.type === 'table')) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(m.name)}`.execute(db)).rows
      .map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v])))
      .sort();
    tables[m.name] = { rows: rows.length, sha256: sha256(rows.join('\n')) };
  }
  return { schema, tables };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
