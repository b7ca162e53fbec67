import type { Plan, Scalar } from '../src/dsl/plan';
import type { PlanSkeleton } from './skeleton';
import type { AnswerFacts } from './conditions';

/** An event as the workflow sees it (stored first, then signalled). */
export interface FunnelEvent {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  value: number | null;
  occurredAt: number;
  /** Set by ingestion when this event is this enrollment's goal, inside the goal window. */
  conversion?: boolean;
}

/** One frame of the interpreter's position: a step list (by key) and the next index in it. */
export interface Frame {
  list: string;
  index: number;
}

/** What survives continue-as-new. */
export interface CarriedState {
  frames: Frame[];
  pending: FunnelEvent[];
  seen: Array<{ name: string; properties: Record<string, Scalar> }>;
  touches: Record<string, string[]>;
  converted: boolean;
  /** Ids of the latest events absorbed, so a re-dispatched event is not counted twice. */
  recent?: string[];
  /** The variant each split sent this enrollment down. */
  variants?: Record<string, string>;
  /** How many times each webinar moved while this enrollment ran (a webinar wait re-reads its session on a change). */
  webinarMoves?: Record<string, number>;
  /** Set after a webinar wait the contact reached too late: the touches up to the next wait are skipped `too_late`. */
  late?: boolean;
  /**
   * Set by a migration: the step the frames lead to is the one the enrollment was at, and `since` is when its wait
   * began (a wait is timed from then in the new version: unchanged, it keeps its due time); null for a step not begun.
   */
  resume?: { stepId: string; since: number | null };
  /** The latest answer an ask got (for `when.replyMatches`, `when.answerScore` in later branches). */
  answer?: AnswerFacts | null;
  /** The running quiz score: the sum of the quiz options' scores answered so far. */
  quiz?: number;
  /** Events a funnel-level subscription (`on`) waits to react to, in arrival order: the subscription's event name and the event's id. */
  reactions?: Array<{ event: string; eventId: string }>;
  /** The subscriptions (event names) that fired already: each fires once per enrollment. */
  fired?: string[];
}

/**
 * The input of one enrollment workflow: the version is pinned here, so editing the file never touches this run. It
 * carries the lean plan (`skeleton`); the activities read the content of `version` from the stored versions.
 */
export interface EnrollmentInput {
  enrollmentId: string;
  funnelId: string;
  contactId: string;
  version: string;
  /** What the interpreter decides by (see workflows/skeleton.ts). */
  skeleton?: PlanSkeleton;
  /** Runs started before lean versions carry the whole plan instead; they become lean at their next continue-as-new. */
  plan?: Plan;
  enrolledAt: number;
  /** The entry event, scalar properties only (all a condition can compare); the activities read the stored one. */
  trigger: FunnelEvent | null;
  carried?: CarriedState;
  /** Tests only: continue-as-new after this many history events instead of waiting for the server's suggestion. */
  continueAsNewAfter?: number;
  /** Patch ids the run takes as present from its start, without markers (workflows/patches.ts); absent on runs started before the list. */
  patches?: string[];
  /** The simulator's personas only: `<splitId>: <variantId>` taken instead of the weighted pick (an unknown variant id is ignored). */
  forcedVariants?: Record<string, string>;
}

/** The answer of the `currentStep` query. */
export interface StepPosition {
  stepId: string | null;
  state: 'running' | 'waiting' | 'sending' | 'finished';
}

/** How an enrollment ended. */
export interface EnrollmentOutcome {
  status: 'converted' | 'exited';
  reason: string;
}

/** What a migration asks an enrollment: to move onto the migration's target version at its next safe point. */
export interface MigrateRequest {
  migrationId: string;
}
