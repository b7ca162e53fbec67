/*
 * The states of the ledger and of enrollments, listed once: the interpreter, the table types, the send pipeline,
 * attribution, the frequency cap, the rollups' SQL and the OpenAPI document all read them from here. In workflows/
 * because the interpreter needs them too; src/ imports them from here.
 */

/** Ledger states: written `pending` before the send, then one of the others (`deferred` comes back to `pending` work). */
export const DELIVERY_STATUSES = ['pending', 'deferred', 'sent', 'delivered', 'outbox', 'failed', 'skipped', 'held_out'] as const;
/** One ledger state. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** States in which the touch reached the customer (the dev outbox included): credited, capped, counted as reached. */
export const REACHED_STATUSES = ['sent', 'delivered', 'outbox'] as const satisfies readonly DeliveryStatus[];
/** One state of a touch that reached the customer (what a channel's successful send reports). */
export type ReachedStatus = (typeof REACHED_STATUSES)[number];

/** States a send never leaves: a retried activity that finds one returns it instead of sending again. */
export const FINAL_DELIVERY_STATUSES = [...REACHED_STATUSES, 'failed', 'skipped', 'held_out'] as const satisfies readonly DeliveryStatus[];

/** Whether a delivery in this state reached the customer. */
export function isReached(status: DeliveryStatus): boolean {
  return (REACHED_STATUSES as readonly string[]).includes(status);
}

/** Enrollment states: `active` while its workflow runs, then how it ended. */
export const ENROLLMENT_STATUSES = ['active', 'converted', 'exited', 'failed'] as const;
/** One enrollment state. */
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
