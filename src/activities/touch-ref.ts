import { ApplicationFailure } from '@temporalio/activity';
import type { Plan, TouchStep } from '../dsl/plan';
import type { SendTouchDeps } from './send-deps';
import type { SendTouchInput, TouchSettings } from './send-touch';
import { askIdsOf, touchesOf } from '../dsl/plan';
import { toFunnelEvent } from '../engine/enroll';
import { getPlanVersion } from '../db/funnels';

/**
 * A touch to send, named rather than carried: the workflow's lean input. The activity reads the touch's content and
 * the funnel's settings from the stored version, and the trigger from the enrollment's stored entry event.
 */
export interface TouchRef {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  /** The version the enrollment is on: the content of that version is sent. */
  version: string;
  touchId: string;
  /** Workflow time when the funnel first reached this touch. */
  scheduledAt: number;
  /** Workflow time of this attempt (later than scheduledAt after a deferral); defaults to scheduledAt. */
  now?: number | undefined;
  /** The split variants this enrollment took (`split:variant,…`), recorded on the ledger for experiment stats. */
  variant?: string | undefined;
  /** Record the touch as skipped for this reason instead of sending it (a reminder the contact reached too late). */
  skip?: 'too_late' | undefined;
}

/** The funnel settings one touch is sent with: the zone, policy, UTM tags, the webinar an invite names, the pages. */
export function touchSettings(plan: Plan, touch: TouchStep): TouchSettings {
  const webinarId = touch.type === 'webinarInvite' ? touch.webinar : undefined;
  return {
    timezone: plan.timezone, policy: plan.policy, utm: plan.utm,
    webinar: webinarId === undefined ? undefined : plan.webinars?.find((w) => w.id === webinarId),
    pageIds: plan.pages?.map((p) => p.id),
    askIds: askIdsOf(plan.steps),
  };
}

/** The touch step of a plan by id. */
export function findTouch(plan: Plan, touchId: string): TouchStep | undefined {
  return touchesOf(plan.steps).find((t) => t.id === touchId);
}

/**
 * The full send input of a named touch: its content from the stored version (read once per version by `deps.plans`),
 * the trigger from the database. A version without that touch is a broken pin no retry can mend: non-retryable.
 */
export async function resolveTouchRef(deps: SendTouchDeps, ref: TouchRef): Promise<SendTouchInput> {
  const plan = await (deps.plans ? deps.plans(ref.funnelId, ref.version) : getPlanVersion(deps.db, ref.funnelId, ref.version));
  const touch = findTouch(plan, ref.touchId);
  if (!touch) {
    throw ApplicationFailure.create({ message: `${ref.funnelId}@${ref.version} has no touch ${JSON.stringify(ref.touchId)}`, type: 'UnknownTouch', nonRetryable: true });
  }
  const enrollment = await deps.db.selectFrom('enrollments').select('trigger_event_id').where('id', '=', ref.enrollmentId).executeTakeFirst();
  const row = enrollment?.trigger_event_id
    ? await deps.db.selectFrom('events').selectAll().where('id', '=', enrollment.trigger_event_id).executeTakeFirst()
    : undefined;
  return {
    enrollmentId: ref.enrollmentId, funnelId: ref.funnelId, contactId: ref.contactId, funnelName: plan.name, touch,
    trigger: row ? toFunnelEvent(row) : null, scheduledAt: ref.scheduledAt, now: ref.now, settings: touchSettings(plan, touch),
    variant: ref.variant, skip: ref.skip,
  };
}
