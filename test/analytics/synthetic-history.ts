import type { Db } from '../../src/db/database';
import type { DeliveryStatus, EventRow } from '../../src/db/schema';
import type { Plan } from '../../src/dsl/plan';
import { isGoalHit, recordConversion } from '../../src/analytics/record-conversion';
import { addEnrollment } from './analytics-db';

/*
 * A seeded, synthetic funnel history written through the same kinds of writes the engine makes (enrollments
 * inserted, ledger rows inserted `pending` and finished later, engagement set by updates, deferrals logged, split
 * assignments, conversions recorded by recordConversion), in time order — and kept as plain arrays, the truth the
 * reference implementation computes from.
 */

const H = 3_600_000;
const D = 24 * H;

/** The first day of every synthetic history. */
export const HISTORY_START = Date.parse('2025-03-01T00:00:00Z');

export interface TruthEnrollment { id: string; funnelId: string; enrolledAt: number; status: 'active' | 'exited' | 'converted' }
export interface TruthDelivery {
  id: string; enrollmentId: string; funnelId: string; touchId: string; channel: string; scheduledAt: number; status: DeliveryStatus;
  reason: string | null; sentAt: number | null; deliveredAt: number | null; openedAt: number | null; clickedAt: number | null;
  repliedAt: number | null; unsubscribedAt: number | null;
}
export interface TruthLog { id: string; deliveryId: string; enrollmentId: string; funnelId: string; touchId: string; kind: 'deferred' | 'fallback'; reason: string; at: number }
export interface TruthAssignment { enrollmentId: string; funnelId: string; splitId: string; variantId: string; at: number }
export interface TruthGoalEvent { id: string; enrollmentId: string; funnelId: string; at: number; value: number | null }
export interface Truth {
  enrollments: TruthEnrollment[];
  deliveries: TruthDelivery[];
  logs: TruthLog[];
  assignments: TruthAssignment[];
  goalEvents: TruthGoalEvent[];
}

/** A tiny seeded PRNG for the test data (independent of the one under test). */
export function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** A touch of a synthetic funnel: its id, channel, and (for a split) its variants as alternative ids. */
export interface SyntheticTouch { id: string; channel: string; variants?: { splitId: string; ids: Record<string, string> }; holdout?: number; sometimes?: number }

type Op = { at: number; seq: number; run: () => Promise<void> };

/** Builds the history of `count` enrollments into `plan`'s funnel in `db`; returns the truth. */
export async function buildHistory(db: Db, plan: Plan, touches: SyntheticTouch[], count: number, seed: number, truth: Truth = emptyTruth()): Promise<Truth> {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ops: Op[] = [];
  let seq = 0;
  const at = (time: number, run: () => Promise<void>) => ops.push({ at: time, seq: seq++, run });

  for (let i = 0; i < count; i++) {
    const e: TruthEnrollment = { id: `${plan.id}-e${i}`, funnelId: plan.id, enrolledAt: HISTORY_START + Math.floor(rand() * 12 * D), status: 'active' };
    truth.enrollments.push(e);
    at(e.enrolledAt, () => addEnrollment(db, { id: e.id, funnel_id: e.funnelId, enrolled_at: e.enrolledAt }));
    let t = e.enrolledAt;
    for (const touch of touches) {
      if (touch.sometimes !== undefined && rand() >= touch.sometimes) continue;
      t += Math.floor(2 * H + rand() * 28 * H);
      let touchId = touch.id;
      if (touch.variants) {
        const variantId = pick(Object.keys(touch.variants.ids));
        touchId = touch.variants.ids[variantId]!;
        const a: TruthAssignment = { enrollmentId: e.id, funnelId: plan.id, splitId: touch.variants.splitId, variantId, at: t };
        truth.assignments.push(a);
        at(t, async () => { await db.insertInto('split_assignments').values({ enrollment_id: a.enrollmentId, split_id: a.splitId, variant_id: a.variantId, funnel_id: a.funnelId, contact_id: `ct_${e.id}`, at: a.at }).execute(); });
      }
      const r = rand();
      const status: DeliveryStatus = touch.holdout !== undefined && r < touch.holdout ? 'held_out'
        : pick(['delivered', 'delivered', 'delivered', 'sent', 'sent', 'outbox', 'failed', 'skipped', 'skipped', 'pending', 'deferred'] as const);
      const reached = status === 'sent' || status === 'delivered' || status === 'outbox';
      const sentAt = reached ? t + Math.floor(rand() * 3 * H) : null;
      const d: TruthDelivery = {
        id: `${e.id}-${touchId}`, enrollmentId: e.id, funnelId: plan.id, touchId, channel: touch.channel, scheduledAt: t, status,
        reason: status === 'skipped' ? pick(['no_consent', 'quiet_hours', null]) : status === 'failed' ? 'bounced' : null,
        sentAt, deliveredAt: status === 'delivered' || (status === 'sent' && rand() < 0.3) ? sentAt! + 1000 : null,
        openedAt: reached && rand() < 0.5 ? sentAt! + Math.floor(rand() * 10 * H) : null, clickedAt: null,
        repliedAt: reached && rand() < 0.1 ? sentAt! + 5 * H : null, unsubscribedAt: reached && rand() < 0.05 ? sentAt! + 6 * H : null,
      };
      d.clickedAt = d.openedAt !== null && rand() < 0.4 ? d.openedAt + 60_000 : null;
      truth.deliveries.push(d);
      at(d.scheduledAt, async () => {
        await db.insertInto('deliveries').values({
          id: d.id, enrollment_id: d.enrollmentId, funnel_id: d.funnelId, contact_id: `ct_${e.id}`, touch_id: d.touchId, channel: d.channel,
          status: 'pending', scheduled_at: d.scheduledAt, created_at: d.scheduledAt, attempts: 0,
        }).execute();
      });
      if (rand() < 0.3) { // deferred once or twice before going out
        for (let k = 0; k < (rand() < 0.3 ? 2 : 1); k++) {
          const log: TruthLog = { id: `${d.id}-log${k}`, deliveryId: d.id, enrollmentId: e.id, funnelId: plan.id, touchId, kind: 'deferred', reason: pick(['quiet_hours', 'frequency_cap']), at: d.scheduledAt + k * 40 * 60_000 };
          truth.logs.push(log);
          at(log.at, () => writeLog(db, log));
        }
      }
      if (rand() < 0.1) { // a fallback entry: logged, but not a deferral
        const log: TruthLog = { id: `${d.id}-fb`, deliveryId: d.id, enrollmentId: e.id, funnelId: plan.id, touchId, kind: 'fallback', reason: 'no_address', at: d.scheduledAt + 1 };
        truth.logs.push(log);
        at(log.at, () => writeLog(db, log));
      }
      if (status !== 'pending') {
        at(d.sentAt ?? d.scheduledAt + 1000, async () => {
          await db.updateTable('deliveries').set({
            status, reason: d.reason, sent_at: d.sentAt, delivered_at: status === 'delivered' ? d.deliveredAt : null,
            failed_at: status === 'failed' ? d.scheduledAt + 1000 : null, attempts: 1,
          }).where('id', '=', d.id).execute();
        });
      }
      if (d.deliveredAt !== null && status === 'sent') at(d.deliveredAt, () => setColumn(db, d.id, 'delivered_at', d.deliveredAt!));
      if (d.openedAt !== null) at(d.openedAt, () => setColumn(db, d.id, 'opened_at', d.openedAt!));
      if (d.clickedAt !== null) at(d.clickedAt, () => setColumn(db, d.id, 'clicked_at', d.clickedAt!));
      if (d.repliedAt !== null) at(d.repliedAt, () => setColumn(db, d.id, 'replied_at', d.repliedAt!));
      if (d.unsubscribedAt !== null) at(d.unsubscribedAt, () => setColumn(db, d.id, 'unsubscribed_at', d.unsubscribedAt!));
    }
    if (rand() < 0.5) { // the funnel ends for this contact
      at(t + H, async () => {
        e.status = 'exited';
        await db.updateTable('enrollments').set({ status: 'exited', finished_at: t + H }).where('id', '=', e.id).execute();
      });
    }
    for (let g = 0; g < (rand() < 0.5 ? 1 : 0) + (rand() < 0.15 ? 1 : 0); g++) { // goal events, some late, a second one ignored
      const ev: TruthGoalEvent = { id: `${e.id}-goal${g}`, enrollmentId: e.id, funnelId: plan.id, at: e.enrolledAt + Math.floor(rand() * 9 * D), value: rand() < 0.5 ? null : Math.round(rand() * 1000) };
      truth.goalEvents.push(ev);
      at(ev.at, async () => {
        const row = await db.selectFrom('enrollments').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
        const event: EventRow = { id: ev.id, contact_id: `ct_${e.id}`, name: plan.goal.event, properties: '{}', value: ev.value, idempotency_key: null, occurred_at: ev.at, received_at: ev.at, dispatched_at: null };
        if (isGoalHit(plan.goal, row, event) && (await recordConversion(db, plan.goal, row, event, plan.attribution)) && e.status === 'exited') e.status = 'converted';
      });
    }
  }
  ops.sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const op of ops) await op.run();
  return truth;
}

/** An empty truth to accumulate several funnels into. */
export function emptyTruth(): Truth {
  return { enrollments: [], deliveries: [], logs: [], assignments: [], goalEvents: [] };
}

async function writeLog(db: Db, log: TruthLog): Promise<void> {
  await db.insertInto('touch_log').values({
    id: log.id, delivery_id: log.deliveryId, enrollment_id: log.enrollmentId, funnel_id: log.funnelId, contact_id: `ct_${log.enrollmentId}`,
    touch_id: log.touchId, channel: null, kind: log.kind, reason: log.reason, until: null, at: log.at,
  }).execute();
}

async function setColumn(db: Db, id: string, column: 'delivered_at' | 'opened_at' | 'clicked_at' | 'replied_at' | 'unsubscribed_at', value: number): Promise<void> {
  await db.updateTable('deliveries').set({ [column]: value }).where('id', '=', id).execute();
}
