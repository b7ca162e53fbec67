import type { Db } from '../db/database';
import type { Plan, Webinar } from '../dsl/plan';
import type { Problem } from '../dsl/problem';
import type { WebinarRow } from '../db/schema';

/** A fixed webinar whose start the sync changed (the file's startsAt was edited): sessions were shifted, workflows not told yet. */
export interface WebinarStartChange {
  webinarId: string;
  funnelId: string;
  from: number;
  to: number;
  sessionsMoved: number;
}

/** What a sync did: the refused declarations (as funnel problems) and the starts it changed. */
export interface WebinarSyncResult {
  problems: Problem[];
  changed: WebinarStartChange[];
}

/**
 * Stores every webinar the plans declare (insert or update by id; rows no funnel declares any more are kept, their
 * sessions too). Webinar ids are global: when two funnels declare the same id, the one that already owns the row
 * keeps it (else the first in `plans`) and the other gets a problem.
 *
 * A start moved through the API (`moved_at` set) wins over the file until the file's `startsAt` is edited: the file
 * wins again when its value differs from the one the funnel's file had at the move (the stored funnel version current
 * then); when that version cannot be found the moved start is kept. When a fixed start changes, the sessions assigned
 * the old start move with it.
 */
export async function syncWebinars(db: Db, plans: Plan[], now: number): Promise<WebinarSyncResult> {
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('webinars').selectAll().execute()).map((r) => [r.id, r]));
    const declared = plans.flatMap((plan, order) => (plan.webinars ?? []).map((webinar) => ({ plan, webinar, order })));
    // The funnel that already owns a webinar keeps it, whatever order the files load in.
    declared.sort((a, b) => ownerFirst(a, existing) - ownerFirst(b, existing) || a.order - b.order);
    const owner = new Map<string, string>();
    const result: WebinarSyncResult = { problems: [], changed: [] };
    for (const { plan, webinar } of declared) {
      const taken = owner.get(webinar.id);
      if (taken !== undefined) {
        result.problems.push({
          funnel: plan.id, area: 'webinars',
          message: taken === plan.id ? `webinar "${webinar.id}" is declared twice` : `webinar "${webinar.id}" is already declared by funnel "${taken}"`,
          fix: 'webinar ids are global across funnels: give this webinar another id',
        });
        continue;
      }
      owner.set(webinar.id, plan.id);
      const change = await upsertWebinar(trx, plan.id, webinar, existing.get(webinar.id), now);
      if (change) result.changed.push(change);
    }
    // Problems are reported in funnel order, as the loader reports everything else.
    result.problems.sort((a, b) => a.funnel.localeCompare(b.funnel));
    return result;
  });
}

function ownerFirst(d: { plan: Plan; webinar: Webinar }, existing: Map<string, WebinarRow>): number {
  return existing.get(d.webinar.id)?.funnel_id === d.plan.id ? 0 : 1;
}

async function upsertWebinar(db: Db, funnelId: string, w: Webinar, row: WebinarRow | undefined, now: number): Promise<WebinarStartChange | null> {
  const fileStart = w.startsAt !== undefined ? Date.parse(w.startsAt) : null;
  let startsAt = fileStart;
  let movedAt: number | null = null;
  if (row?.moved_at != null && row.starts_at !== null && fileStart !== null) {
    const atMove = await fileStartAtMove(db, row.funnel_id, w.id, row.moved_at);
    if (atMove === undefined || atMove === fileStart) {
      startsAt = row.starts_at;
      movedAt = row.moved_at;
    }
  }
  const values = {
    funnel_id: funnelId, title: w.title, starts_at: startsAt, duration_ms: w.durationMs ?? 2 * 3_600_000, join_url: w.joinUrl,
    replay_url: w.replayUrl ?? null, schedule: w.schedule ? JSON.stringify({ times: w.schedule.times, weekdays: w.schedule.weekdays ?? null }) : null,
    min_lead_ms: w.minLeadMs ?? 0, moved_at: movedAt, updated_at: now,
  };
  if (!row) {
    await db.insertInto('webinars').values({ id: w.id, ...values }).execute();
    return null;
  }
  await db.updateTable('webinars').set(values).where('id', '=', w.id).execute();
  if (row.starts_at === null || startsAt === null || row.starts_at === startsAt) return null;
  const shifted = await db.updateTable('webinar_sessions').set({ starts_at: startsAt })
    .where('webinar_id', '=', w.id).where('starts_at', '=', row.starts_at).executeTakeFirst();
  return { webinarId: w.id, funnelId, from: row.starts_at, to: startsAt, sessionsMoved: Number(shifted.numUpdatedRows) };
}

/** The webinar's startsAt in the funnel version that was the newest stored one when the webinar was moved. */
async function fileStartAtMove(db: Db, funnelId: string, webinarId: string, movedAt: number): Promise<number | undefined> {
  const version = await db.selectFrom('funnel_versions').select('plan').where('funnel_id', '=', funnelId)
    .where('created_at', '<=', movedAt).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!version) return undefined;
  try {
    const plan = JSON.parse(version.plan) as Pick<Plan, 'webinars'>;
    const startsAt = plan.webinars?.find((x) => x.id === webinarId)?.startsAt;
    return startsAt === undefined ? undefined : Date.parse(startsAt);
  } catch {
    return undefined;
  }
}
