import { Context } from '@temporalio/activity';
import type { Db } from '../db/database';
import type { BroadcastMemberStatus } from '../db/schema-audience';
import type { WorkflowGateway } from '../temporal/gateway';
import type { EngineDeps } from '../engine/deps';
import { createWorkflowGateway } from '../temporal/gateway';
import { FunnelRegistry } from '../engine/registry';
import { getPlanVersion } from '../db/funnels';
import { findContact } from '../db/contacts';
import { enroll } from '../engine/enroll';
import { silentLogger } from '../log';

/** What the broadcast activities need; the gateway defaults to the worker's own client (`Context.current().client`). */
export interface BroadcastActivityDeps {
  db: Db;
  broadcastGateway?: WorkflowGateway | undefined;
}

/** What one batch did: members handled now, members still to handle. */
export interface BatchResult {
  processed: number;
  remaining: number;
}

const OPEN: BroadcastMemberStatus[] = ['pending', 'enrolling'];

async function remaining(db: Db, broadcastId: string): Promise<number> {
  const row = await db.selectFrom('broadcast_members').select((eb) => eb.fn.countAll().as('n'))
    .where('broadcast_id', '=', broadcastId).where('status', 'in', OPEN).executeTakeFirstOrThrow();
  return Number(row.n);
}

function workerGateway(): WorkflowGateway {
  const ctx = Context.current();
  return createWorkflowGateway(ctx.client, ctx.info.taskQueue);
}

/** The broadcast workflow's activities. */
export function createBroadcastActivities(deps: BroadcastActivityDeps) {
  const { db } = deps;
  return {
    /**
     * Enrolls the next `limit` members of a broadcast's snapshot into its pinned funnel version. Each member is marked
     * `enrolling` before its enrollment and `enrolled` (with the enrollment) after, so a retry after a crash finds the
     * enrollment it made instead of making another; a member since enrolled by anything else, or erased, is skipped.
     */
    async enrollBroadcastBatch(input: { broadcastId: string; limit: number; now: number }): Promise<BatchResult> {
      const broadcast = await db.selectFrom('broadcasts').selectAll().where('id', '=', input.broadcastId).executeTakeFirst();
      if (!broadcast || broadcast.status !== 'running') return { processed: 0, remaining: 0 };
      const plan = await getPlanVersion(db, broadcast.funnel_id, broadcast.version);
      const clock = () => Math.max(Date.now(), input.now);
      const engine: EngineDeps = {
        db, gateway: deps.broadcastGateway ?? workerGateway(), funnels: new FunnelRegistry([{ plan, version: broadcast.version }]), log: silentLogger, now: clock,
      };
      const members = await db.selectFrom('broadcast_members').selectAll().where('broadcast_id', '=', broadcast.id)
        .where('status', 'in', OPEN).orderBy('contact_id').limit(input.limit).execute();
      const mark = (contactId: string, status: BroadcastMemberStatus, fields: { reason?: string; enrollment_id?: string } = {}) =>
        db.updateTable('broadcast_members').set({ status, at: clock(), ...fields }).where('broadcast_id', '=', broadcast.id).where('contact_id', '=', contactId).execute();
      for (const m of members) {
        try { Context.current().heartbeat(m.contact_id); } catch { /* called outside an activity (a test) */ }
        const contact = await findContact(db, { contactId: m.contact_id });
        if (!contact) {
          await mark(m.contact_id, 'skipped', { reason: 'contact_gone' });
          continue;
        }
        const earlier = await db.selectFrom('enrollments').select(['id', 'status', 'enrolled_at']).where('funnel_id', '=', broadcast.funnel_id)
          .where('contact_id', '=', contact.id).orderBy('enrolled_at', 'desc').executeTakeFirst();
        // `enrolling` and an enrollment since then: this broadcast made it before a crash — only its workflow may be missing.
        const ours = m.status === 'enrolling' && earlier !== undefined && earlier.enrolled_at >= (m.at ?? 0);
        if (earlier && !ours) {
          await mark(m.contact_id, 'skipped', { reason: 'already_enrolled' });
          continue;
        }
        if (ours && earlier.status !== 'active') {
          await mark(m.contact_id, 'enrolled', { enrollment_id: earlier.id });
          continue;
        }
        if (!ours) await mark(m.contact_id, 'enrolling');
        const { enrollment } = await enroll(engine, broadcast.funnel_id, contact.id);
        await mark(m.contact_id, 'enrolled', { enrollment_id: enrollment.enrollmentId });
      }
      return { processed: members.length, remaining: await remaining(db, broadcast.id) };
    },

    /** Marks a broadcast done; returns its final counts. */
    async finishBroadcast(input: { broadcastId: string; now: number }): Promise<{ enrolled: number; skipped: number }> {
      await db.updateTable('broadcasts').set({ status: 'done', finished_at: Math.max(Date.now(), input.now) })
        .where('id', '=', input.broadcastId).where('status', '=', 'running').execute();
      const rows = await db.selectFrom('broadcast_members').select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('broadcast_id', '=', input.broadcastId).groupBy('status').execute();
      const count = (s: BroadcastMemberStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      return { enrolled: count('enrolled'), skipped: count('skipped') };
    },
  };
}

/** The activity interface the broadcast workflow proxies. */
export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
