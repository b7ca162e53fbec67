import type { Scalar } from '../dsl/plan';
import type { EnrollmentOutcome } from '../../workflows/types';
import { findContact } from '../db/contacts';
import { parseJsonObject } from '../db/json';
import { nextLocalTime } from '../time/local-time';
import { dateMoment } from '../time/date-moment';
import { contactTimeZone } from '../time/zones';
import { webinarDelay } from '../webinars/assign-session';
import type { Client } from '@temporalio/client';
import { sendTouch, type SendTouchInput, type TouchRef } from './send-touch';
import type { SendTouchDeps } from './send-deps';
import { whileHeartbeating } from './heartbeat';
import { createBroadcastActivities } from '../broadcasts/activities';
import { createMigrationActivities } from './migration-activities';
import { createFunnelActionActivities } from './funnel-actions';
import { webhookSigningSecret, type TeamNotifier } from '../handoff/index';
import { FunnelRegistry } from '../engine/registry';
import { failPendingDelivery } from '../db/deliveries';
import { createStaffTask, type StaffTaskInput, type StaffTaskResult } from './staff-task';

/** The exit reason of an enrollment whose contact no channel can reach. */
export const UNREACHABLE = 'unreachable';

/** What the activities need from the outside world; `temporal` lets a migration ask enrollments to move. */
export type ActivityDeps = SendTouchDeps & {
  temporal?: Client | undefined;
  /** WEBHOOK_SECRET: signs webhook steps' posts (default: derived from SECRET_KEY). */
  webhookSecret?: string | undefined;
  /** Where notify steps go (TEAM_EMAIL / TEAM_TELEGRAM_CHAT_ID); none: a notify step sends nothing. */
  team?: TeamNotifier | null | undefined;
};

/** Builds the activities; tests pass their own deps. Versions' content is read once per version (unless `plans` is given). */
export function createActivities(given: ActivityDeps) {
  const { db } = given;
  const versions = new FunnelRegistry();
  const deps = { ...given, plans: given.plans ?? ((funnelId: string, version: string) => versions.planAt(db, funnelId, version)) };
  return {
    ...createBroadcastActivities(deps),

    /** Sends one touch through the ledger (see sendTouch), heartbeating so a dead worker's send is retried within seconds. */
    sendTouch: (input: TouchRef | SendTouchInput) => whileHeartbeating(() => sendTouch(deps, input)),

    ...createMigrationActivities(deps),

    ...createFunnelActionActivities(deps),

    /** Marks a touch whose retries ran out as failed, keeping any final state already written. */
    async markTouchFailed(input: { enrollmentId: string; touchId: string; reason: string }): Promise<void> {
      await failPendingDelivery(db, { ...input, at: Date.now() });
    },

    /** Milliseconds from `now` to the next local time in the contact's zone (the funnel's zone as fallback). */
    async localDelay(input: { contactId: string; fallbackTimezone: string; time?: string | undefined; weekdays?: number[] | undefined; now: number }): Promise<number> {
      const contact = await findContact(db, { contactId: input.contactId });
      const zone = contactTimeZone(contact?.timezone, input.fallbackTimezone);
      return nextLocalTime(input.now, zone, input.time, input.weekdays) - input.now;
    },

    /**
     * Milliseconds from `now` to the moment of a date wait (≤ 0 when past) in the contact's zone (the funnel's as
     * fallback): the contact attribute `contact.attributes.<name>`, or the event property's `value` the workflow passes
     * for `event.properties.<name>`; null when there is no such date.
     */
    async dateDelay(input: {
      contactId: string; date: string; value?: Scalar | null | undefined; offsetMs: number; time?: string | undefined; fallbackTimezone: string; now: number;
    }): Promise<number | null> {
      const contact = await findContact(db, { contactId: input.contactId });
      const zone = contactTimeZone(contact?.timezone, input.fallbackTimezone);
      const attribute = /^contact\.attributes\.(.+)$/.exec(input.date)?.[1];
      const value = attribute !== undefined ? parseJsonObject(contact?.attributes)[attribute] : input.value;
      const at = dateMoment(value, zone, input.offsetMs, input.time);
      return at === null ? null : at - input.now;
    },

    /**
     * Milliseconds until the contact's webinar session start plus `offsetMs` (≤ 0 when past), assigning the session if
     * needed; null when the webinar no longer exists.
     */
    async webinarDelay(input: { contactId: string; webinarId: string; offsetMs: number; fallbackTimezone: string; now: number }): Promise<number | null> {
      const contact = await findContact(db, { contactId: input.contactId });
      const zone = contactTimeZone(contact?.timezone, null);
      return webinarDelay(db, { ...input, contactTimezone: zone });
    },

    /** Hands a funnel's staff task ("call within 2 hours") to the configured hand-offs (signed webhook, team); nothing without one. */
    async createStaffTask(input: StaffTaskInput): Promise<StaffTaskResult> {
      return createStaffTask(db, {
        webhook: deps.staffTasks, team: deps.team, publicUrl: deps.publicUrl, signingSecret: webhookSigningSecret(deps.webhookSecret, deps.secretKey),
      }, input);
    },

    /** Records which variant of a split the enrollment took (experiment stats); idempotent. */
    async recordSplit(input: { enrollmentId: string; funnelId: string; contactId: string; splitId: string; variantId: string; at: number }): Promise<void> {
      await db.insertInto('split_assignments').values({
        enrollment_id: input.enrollmentId, split_id: input.splitId, variant_id: input.variantId,
        funnel_id: input.funnelId, contact_id: input.contactId, at: input.at,
      }).onConflict((oc) => oc.columns(['enrollment_id', 'split_id']).doNothing()).execute();
    },

    /** The contact's attributes plus its core fields, for branch conditions. */
    async contactFacts(input: { contactId: string }): Promise<Record<string, Scalar | null>> {
      const c = await findContact(db, { contactId: input.contactId });
      if (!c) return {};
      return {
        ...(parseJsonObject(c.attributes) as Record<string, Scalar>),
        email: c.email, phone: c.phone, name: c.name, timezone: c.timezone, locale: c.locale, telegramChatId: c.telegram_chat_id,
      };
    },

    /**
     * Records how the enrollment ended; idempotent. A contact who left as `unreachable` leaves the splits' samples too:
     * nobody could show it a variant.
     */
    async finishEnrollment(input: EnrollmentOutcome & { enrollmentId: string; at: number }): Promise<void> {
      await db.updateTable('enrollments').set({ status: input.status, exit_reason: input.reason, finished_at: input.at, current_step: null })
        .where('id', '=', input.enrollmentId).where('status', '=', 'active').execute();
      if (input.reason === UNREACHABLE) await db.deleteFrom('split_assignments').where('enrollment_id', '=', input.enrollmentId).execute();
    },
  };
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
