import type { Db } from '../db/database';
import type { EnrollmentRow } from '../db/schema';
import type { FunnelMigrationRow } from '../db/schema-migrations';

/** The key of enrollments whose step is not known (yet): parentheses cannot be part of a step id, so it never clashes. */
export const UNKNOWN_STEP = '(unknown)';

/** One version of a funnel with enrollments in flight, as `GET /api/funnels/:id/versions` answers it. */
export interface VersionInFlight {
  version: string;
  current: boolean;
  inFlight: number;
  atStep: Record<string, number>;
}

/** The active enrollments of a funnel, counted per version and step. */
export async function countInFlight(db: Db, funnelId: string): Promise<Array<{ version: string; step: string | null; n: number }>> {
  const rows = await db.selectFrom('enrollments').select(['version', 'current_step', (eb) => eb.fn.countAll<number>().as('n')])
    .where('funnel_id', '=', funnelId).where('status', '=', 'active').groupBy(['version', 'current_step']).execute();
  return rows.map((r) => ({ version: r.version, step: r.current_step, n: Number(r.n) }));
}

/**
 * Every version with enrollments in flight (and the current one, even with none), newest stored first after the
 * current: how many, and how many rest at each step (`(unknown)` for those whose workflow has not noted one yet).
 */
export async function versionsInFlight(db: Db, funnelId: string, currentVersion: string | null): Promise<VersionInFlight[]> {
  const counts = await countInFlight(db, funnelId);
  const stored = await db.selectFrom('funnel_versions').select(['version', 'created_at']).where('funnel_id', '=', funnelId).execute();
  const created = new Map(stored.map((s) => [s.version, Number(s.created_at)]));
  const byVersion = new Map<string, VersionInFlight>();
  const entry = (version: string) => {
    let v = byVersion.get(version);
    if (!v) byVersion.set(version, v = { version, current: version === currentVersion, inFlight: 0, atStep: {} });
    return v;
  };
  if (currentVersion) entry(currentVersion);
  for (const c of counts) {
    const v = entry(c.version);
    v.inFlight += c.n;
    const key = c.step ?? UNKNOWN_STEP;
    v.atStep[key] = (v.atStep[key] ?? 0) + c.n;
  }
  return [...byVersion.values()].sort((a, b) => Number(b.current) - Number(a.current) || (created.get(b.version) ?? 0) - (created.get(a.version) ?? 0) || a.version.localeCompare(b.version));
}

/** The active enrollments a migration still has to ask, in id order after `after`: not on its target, not answered yet. */
export function enrollmentsToAsk(db: Db, m: FunnelMigrationRow, after: string, limit: number): Promise<EnrollmentRow[]> {
  let q = db.selectFrom('enrollments').selectAll()
    .where('funnel_id', '=', m.funnel_id).where('status', '=', 'active').where('version', '<>', m.to_version).where('id', '>', after)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('enrollment_migrations as em').select('em.id')
      .whereRef('em.enrollment_id', '=', 'enrollments.id').where('em.migration_id', '=', m.id))));
  if (m.from_version !== 'all') q = q.where('version', '=', m.from_version);
  return q.orderBy('id').limit(limit).execute();
}

/** The active enrollments a migration from `from` (a version or `all`) onto `to` would ask. */
export async function countToAsk(db: Db, funnelId: string, from: string, to: string): Promise<number> {
  let q = db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('funnel_id', '=', funnelId).where('status', '=', 'active').where('version', '<>', to);
  if (from !== 'all') q = q.where('version', '=', from);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
