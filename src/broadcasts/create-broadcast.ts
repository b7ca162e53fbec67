import { randomUUID } from 'node:crypto';
import type { EngineDeps } from '../engine/deps';
import type { VersionedPlan } from '../db/funnels';
import type { BroadcastRow } from '../db/schema-audience';
import { NotFoundError, UnavailableError } from '../errors';
import { broadcastWorkflowId } from '../temporal/gateway';
import { parseJsonObject } from '../db/json';
import { countAudience, eachAudienceMember } from './audience';
import { DEFAULT_RATE_PER_SECOND, type BroadcastFilter } from './filter';

/** A broadcast as the API answers it: what it is for and how far it got. */
export interface BroadcastView {
  id: string;
  funnelId: string;
  version: string;
  status: 'running' | 'done';
  filter: BroadcastFilter;
  ratePerSecond: number;
  /** A draft funnel's broadcast takes test contacts only. */
  testOnly: boolean;
  /** Contacts in the snapshot taken when it was created. */
  total: number;
  pending: number;
  enrolled: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  createdAt: string;
  finishedAt: string | null;
}

/** What a dry run answers: exactly how many contacts a broadcast created now would enroll. */
export interface BroadcastDryRun {
  dryRun: true;
  funnelId: string;
  version: string;
  testOnly: boolean;
  count: number;
}

/** The dry run: the exact size of the snapshot a broadcast would take now; nothing is stored. */
export async function dryRunBroadcast(deps: EngineDeps, funnel: VersionedPlan, filter: BroadcastFilter): Promise<BroadcastDryRun> {
  return { dryRun: true, funnelId: funnel.plan.id, version: funnel.version, testOnly: funnel.plan.draft === true, count: await countAudience(deps.db, funnel.plan, filter) };
}

/**
 * Creates a broadcast: the snapshot of every contact the filter selects (see eachAudienceMember) is stored with the
 * broadcast in one transaction, pinned to the funnel's current version, then its workflow is started. When Temporal
 * refuses the start nothing stays stored (UnavailableError). Running the same filter again later takes only those
 * still never enrolled in the funnel: nobody enters twice.
 */
export async function createBroadcast(deps: EngineDeps, funnel: VersionedPlan, filter: BroadcastFilter, ratePerSecond = DEFAULT_RATE_PER_SECOND): Promise<BroadcastView> {
  if (!deps.gateway.startBroadcast) throw new UnavailableError('broadcasts need the Temporal gateway of the engine');
  const id = `bc_${randomUUID().replace(/-/g, '')}`;
  const now = deps.now();
  const total = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('broadcasts').values({
      id, funnel_id: funnel.plan.id, version: funnel.version, filter: JSON.stringify(filter), rate_per_second: ratePerSecond, status: 'running',
      total: 0, workflow_id: broadcastWorkflowId(id), created_at: now, finished_at: null,
    }).execute();
    let total = 0;
    await eachAudienceMember(trx, funnel.plan, filter, async (ids) => {
      await trx.insertInto('broadcast_members').values(ids.map((contactId) => ({ broadcast_id: id, contact_id: contactId, status: 'pending' as const, reason: null, enrollment_id: null, at: null }))).execute();
      total += ids.length;
    });
    await trx.updateTable('broadcasts').set({ total, ...(total === 0 && { status: 'done', finished_at: now }) }).where('id', '=', id).execute();
    return total;
  });
  try {
    // An empty snapshot is done at once: there is nothing for a workflow to do.
    if (total > 0) await deps.gateway.startBroadcast({ broadcastId: id, ratePerSecond });
  } catch (err) {
    await deps.db.deleteFrom('broadcast_members').where('broadcast_id', '=', id).execute();
    await deps.db.deleteFrom('broadcasts').where('id', '=', id).execute();
    throw err;
  }
  deps.log.info('broadcast started', { broadcast: id, funnel: funnel.plan.id, rate: ratePerSecond });
  return broadcastView(deps, id);
}

function view(b: BroadcastRow, counts: Array<{ status: string; reason: string | null; n: number }>, testOnly: boolean): BroadcastView {
  const sum = (...statuses: string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((a, c) => a + c.n, 0);
  const skippedByReason: Record<string, number> = {};
  for (const c of counts) if (c.status === 'skipped') skippedByReason[c.reason ?? 'unknown'] = (skippedByReason[c.reason ?? 'unknown'] ?? 0) + c.n;
  return {
    id: b.id, funnelId: b.funnel_id, version: b.version, status: b.status, filter: parseJsonObject(b.filter) as BroadcastFilter,
    ratePerSecond: b.rate_per_second, testOnly, total: b.total, pending: sum('pending', 'enrolling'), enrolled: sum('enrolled'), skipped: sum('skipped'),
    skippedByReason, createdAt: new Date(b.created_at).toISOString(), finishedAt: b.finished_at === null ? null : new Date(b.finished_at).toISOString(),
  };
}

/** A broadcast's progress, counted from its snapshot; NotFoundError for an unknown id. */
export async function broadcastView(deps: EngineDeps, id: string): Promise<BroadcastView> {
  const b = await deps.db.selectFrom('broadcasts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b) throw new NotFoundError('broadcast', id);
  const counts = await deps.db.selectFrom('broadcast_members').select(['status', 'reason', (eb) => eb.fn.countAll().as('n')])
    .where('broadcast_id', '=', id).groupBy(['status', 'reason']).execute();
  const plan = await deps.funnels.planAt(deps.db, b.funnel_id, b.version).catch(() => undefined);
  return view(b, counts.map((c) => ({ status: c.status, reason: c.reason, n: Number(c.n) })), plan?.draft === true);
}

/** A funnel's broadcasts, newest first. */
export async function funnelBroadcasts(deps: EngineDeps, funnelId: string): Promise<BroadcastView[]> {
  const rows = await deps.db.selectFrom('broadcasts').select('id').where('funnel_id', '=', funnelId).orderBy('created_at', 'desc').orderBy('id').limit(100).execute();
  return Promise.all(rows.map((r) => broadcastView(deps, r.id)));
}
