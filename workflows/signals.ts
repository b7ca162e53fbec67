import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FunnelEvent, MigrateRequest, StepPosition } from './types';

/** Delivers one stored event to an enrollment. */
export const eventSignal = defineSignal<[FunnelEvent]>('event');

/** Delivers several stored events of one contact to an enrollment, in the order they happened (the event dispatcher). */
export const eventsSignal = defineSignal<[FunnelEvent[]]>('events');

/** Where the enrollment is now. */
export const currentStepQuery = defineQuery<StepPosition>('currentStep');

/** Sent with signal-with-start; carries nothing the workflow needs, it only makes the start idempotent. */
export const enrollSignal = defineSignal<[{ enrollmentId: string }]>('enroll');

/** Moves the enrollment onto a migration's target version at its next safe point (see workflows/migrate.ts). */
export const migrateSignal = defineSignal<[MigrateRequest]>('migrate');
