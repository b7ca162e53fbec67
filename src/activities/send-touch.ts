import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { DeliveryRow, DeliveryStatus } from '../db/schema';
import type { SendResult } from '../channels/channel';
import type { Policy, TouchStep, Utm, Webinar } from '../dsl/plan';
import type { FunnelEvent } from '../../workflows/types';
import type { SendTouchDeps } from './send-deps';
import { FINAL_DELIVERY_STATUSES } from '../../workflows/statuses';
import { findContact } from '../db/contacts';
import { currentContactId } from '../contacts/contact-merges';
import { primaryChannel } from '../dsl/plan';
import { fnv1a } from '../../workflows/hash';
import { contactTimeZone } from '../time/zones';
import { sendWindowOpening } from '../policy/send-window';
import { capOpening } from '../policy/frequency-cap';
import { logTouch } from '../db/touch-log';
import { clearInterruptedClaim, deferDelivery, deliveryAttempts, finishDelivery, openDelivery } from '../db/deliveries';
import { addressFor, candidatesOf, lastingUnreachability, type Candidate } from './touch-candidates';
import { renderAndSend, reactToFailure } from './deliver-candidate';
import { resolveTouchRef, type TouchRef } from './touch-ref';

export type { SendTouchDeps } from './send-deps';

/** The funnel settings a send needs (kept small: it is part of every activity's input in the workflow history). */
export interface TouchSettings {
  timezone: string;
  policy?: Policy | undefined;
  utm?: Utm | undefined;
  /** The webinar an invite names. */
  webinar?: Webinar | undefined;
  /** The funnel's pages, for `{{ links.pages.<id> }}`. */
  pageIds?: string[] | undefined;
  /** The funnel's asks, for `{{ links.asks.<id> }}` (their answer pages). */
  askIds?: string[] | undefined;
}

export type { TouchRef } from './touch-ref';

/** One touch to send for one enrollment, with its content (the shape runs scheduled before lean versions still carry). */
export interface SendTouchInput {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  funnelName: string;
  touch: TouchStep;
  trigger: FunnelEvent | null;
  /** Workflow time when the funnel first reached this touch. */
  scheduledAt: number;
  /** Workflow time of this attempt (later than scheduledAt after a deferral); defaults to scheduledAt. */
  now?: number | undefined;
  settings?: TouchSettings | undefined;
  /** The split variants this enrollment took (`split:variant,…`), recorded on the ledger for experiment stats. */
  variant?: string | undefined;
  /** Record the touch as skipped for this reason instead of sending it (a reminder the contact reached too late). */
  skip?: 'too_late' | undefined;
}

/** The ledger's answer for the touch; `deferred` comes with the moment to try again. */
export interface TouchResult {
  deliveryId: string;
  status: DeliveryStatus;
  reason?: string | undefined;
  channel?: string | undefined;
  until?: number | undefined;
}

/** Whether this contact is in the touch's holdout: a deterministic share, the same on every retry and replay. */
export function isHeldOut(contactId: string, touchId: string, share: number | undefined): boolean {
  return share !== undefined && fnv1a(`holdout:${contactId}:${touchId}`) / 0x1_0000_0000 < share;
}

/**
 * Sends a touch at most once per (enrollment, touch): the ledger row is written before the send and a retried
 * activity that finds it finished returns the recorded result. On the way it applies, in order: the holdout,
 * channel reachability (address, consent, suppression) with fallbacks — a contact reachable on no channel it has is
 * skipped as `unreachable`, which ends its enrollment — the send window and the frequency cap (both defer, never
 * drop), then sends through the first channel that works, falling back on permanent failures. A named touch (the
 * lean input) is sent with the content of its stored version; a carried one (older runs) as carried.
 */
export async function sendTouch(deps: SendTouchDeps, given: SendTouchInput | TouchRef): Promise<TouchResult> {
  const { db } = deps;
  const input = 'touch' in given ? given : await resolveTouchRef(deps, given);
  const settings = input.settings ?? { timezone: 'Europe/Moscow' };
  const attemptAt = Math.max(input.now ?? input.scheduledAt, input.scheduledAt);
  // Never record a touch before the funnel reached it: in production this is the wall clock, in virtual time the workflow's.
  const clock = () => Math.max(Date.now(), attemptAt);
  const planned = primaryChannel(input.touch);
  // The workflow of a merged-away contact goes on as the survivor's (contacts/merge-contacts): so do its ledger rows.
  const contactId = await currentContactId(db, input.contactId);
  const row = await openDelivery(db, {
    enrollmentId: input.enrollmentId, funnelId: input.funnelId, contactId, touchId: input.touch.id, channel: planned,
    scheduledAt: input.scheduledAt, createdAt: clock(), priority: settings.policy?.priority ?? 0, variant: input.variant ?? null,
  });
  if ((FINAL_DELIVERY_STATUSES as readonly DeliveryStatus[]).includes(row.status)) return { deliveryId: row.id, status: row.status, reason: row.reason ?? undefined, channel: row.channel };
  if (row.sending_since !== null) {
    // A claim another attempt left: Temporal retries an activity only after its attempt died or timed out, so a
    // first attempt finding one runs beside a live attempt (this touch in flight twice) and backs off; a retry sends.
    if (activityAttempt() === 1) throw concurrentAttempt();
    await noteInterruptedAttempt(db, row, clock());
  }

  const finish = async (status: DeliveryStatus, fields: { reason?: string; detail?: string; channel?: string; result?: Extract<SendResult, { ok: true }> } = {}): Promise<TouchResult> => {
    const at = clock();
    await finishDelivery(db, row.id, status, { reason: fields.reason, channel: fields.channel, result: fields.result, at });
    if (status === 'skipped' || status === 'held_out' || status === 'failed') {
      await logTouch(db, row, { kind: status, reason: fields.detail ?? fields.reason ?? status, channel: fields.channel ?? row.channel, at });
    }
    return { deliveryId: row.id, status, reason: fields.reason, channel: fields.channel ?? row.channel };
  };

  if (input.skip) return finish('skipped', { reason: input.skip });
  if (isHeldOut(input.contactId, input.touch.id, input.touch.holdout)) return finish('held_out', { reason: 'holdout' });
  const contact = await findContact(db, { contactId: input.contactId });
  if (!contact) return finish('failed', { reason: 'contact_deleted' });

  // Which channels can reach the contact at all, in the marketer's order; the unreachable ones before the first
  // reachable one are the fallbacks this send takes (logged), later ones were never needed.
  const usable: Array<{ candidate: Candidate; address: string }> = [];
  const unusable: Array<{ channel: string; reason: string }> = [];
  for (const candidate of candidatesOf(input.touch)) {
    const a = await addressFor(db, contact, candidate.channel, deps.secretKey);
    if ('address' in a) usable.push({ candidate, address: a.address });
    else if (usable.length === 0) unusable.push({ channel: candidate.channel, reason: a.unreachable });
  }
  if (usable.length === 0) {
    // Nobody can reach this contact any more (every channel it has is withdrawn or suppressed): the workflow leaves.
    const lost = await lastingUnreachability(db, contact, deps.secretKey);
    if (lost) return finish('skipped', { reason: 'unreachable', detail: `unreachable: ${lost.join(', ')}`, channel: planned });
    const reason = unusable[0]?.reason ?? 'no_address';
    for (const u of unusable.slice(1)) await logTouch(db, row, { kind: 'fallback', reason: `${u.channel}: ${u.reason}`, channel: u.channel, at: clock() });
    return finish('skipped', { reason, channel: planned });
  }

  // Send window (contact's zone) and frequency cap defer the touch; the workflow sleeps until `until` and calls again.
  const zone = contactTimeZone(contact.timezone, settings.timezone);
  const windowOpens = settings.policy?.sendWindow ? sendWindowOpening(attemptAt, zone, settings.policy.sendWindow) : attemptAt;
  const capOpens = deps.frequencyCap ? await capOpening(db, contact.id, attemptAt, settings.policy?.priority ?? 0, deps.frequencyCap, row.id) : attemptAt;
  if (windowOpens > attemptAt || capOpens > attemptAt) {
    const reason = windowOpens >= capOpens ? 'send_window' : 'frequency_cap';
    const until = Math.max(windowOpens, capOpens);
    if (row.status !== 'deferred' || row.deferred_until !== until) {
      await deferDelivery(db, row.id, until, reason);
      await logTouch(db, row, { kind: 'deferred', reason, until, channel: usable[0]!.candidate.channel, at: clock() });
    }
    return { deliveryId: row.id, status: 'deferred', reason, until };
  }

  // Channels the contact cannot be reached on are fallbacks taken before any send; log them once.
  if (unusable.length > 0 && row.attempts === 0) {
    for (const u of unusable) await logTouch(db, row, { kind: 'fallback', reason: `${u.channel}: ${u.reason}`, channel: u.channel, at: clock() });
  }
  let lastFailure = 'no_channel';
  let attempts = row.attempts;
  for (const { candidate, address } of usable) {
    const result = await renderAndSend(deps, { input, settings, row: row as DeliveryRow, contact, candidate, address, clock, attempts });
    attempts = await deliveryAttempts(db, row.id);
    if (result.ok) return finish(result.status, { channel: candidate.channel, result });
    if (result.retryable) {
      log.warn('touch send failed, will retry', { touch: input.touch.id, enrollment: input.enrollmentId, channel: candidate.channel, reason: result.reason });
      throw ApplicationFailure.create({
        message: result.reason, type: 'TemporarySendFailure', nonRetryable: false,
        ...(result.retryAfterMs !== undefined && { nextRetryDelay: result.retryAfterMs }),
      });
    }
    lastFailure = usable.length > 1 ? `${candidate.channel}: ${result.reason}` : result.reason;
    await reactToFailure(deps, { row: row as DeliveryRow, contact, channel: candidate.channel, address, failure: result, at: clock() });
    if (usable[usable.length - 1]?.candidate !== candidate) {
      await logTouch(db, row, { kind: 'fallback', reason: `${candidate.channel}: ${result.reason}`, channel: candidate.channel, at: clock() });
    }
  }
  return finish('failed', { reason: lastFailure, channel: usable[usable.length - 1]!.candidate.channel });
}

/** This activity execution's attempt number; undefined outside an activity (a direct call counts as a retry). */
function activityAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}

/** The retryable failure of an attempt that found another one sending this touch. */
function concurrentAttempt(): ApplicationFailure {
  return ApplicationFailure.create({ message: 'another attempt is sending this touch', type: 'TemporarySendFailure', nonRetryable: false });
}

/**
 * The previous attempt claimed the send and never recorded its outcome: it died (or stalled) between handing the
 * message to the channel and the ledger. This attempt sends again — at least once — and the touch log says that the
 * customer may have received it twice. Logged once per interrupted attempt, also when attempts overlap.
 */
async function noteInterruptedAttempt(db: SendTouchDeps['db'], row: DeliveryRow, at: number): Promise<void> {
  if (row.sending_since === null || !(await clearInterruptedClaim(db, row.id, row.sending_since))) return;
  try {
    log.warn('touch attempt was interrupted mid-send, sending again', { touch: row.touch_id, enrollment: row.enrollment_id, channel: row.channel });
  } catch { /* not inside an activity (a direct call): the touch log below is the record */ }
  await logTouch(db, row, { kind: 'interrupted', reason: 'interrupted_mid_send', channel: row.channel, at });
}
