/*
 * The lean plan a workflow is pinned to: everything the interpreter decides by (step ids and types, durations, local
 * times, webinar offsets, event filters, conditions, split weights, the goal's exit flag, the funnel's zone) and none
 * of the content (subjects, bodies, buttons, pages, fallbacks, webinar settings), which the activities read from the
 * stored version. In workflows/ because the interpreter rebuilds it from a pre-lean input; src/ imports it from here.
 */
import type { AskStep, Condition, EventFilter, LatePolicy, Plan, Scalar, Step, TouchStep } from '../src/dsl/plan';

/** A touch as the interpreter sees it: which step it is; its content stays in the stored version. */
export interface SkeletonTouch {
  type: Exclude<TouchStep['type'], 'ask'>;
  id: string;
}

/** One step of a lean plan. */
export type SkeletonStep =
  | SkeletonTouch
  | { type: 'wait'; id: string; ms: number }
  | { type: 'waitUntil'; id: string; time?: string; weekdays?: number[]; webinar?: string; date?: string; offsetMs?: number; late?: LatePolicy; else?: SkeletonStep[] }
  | { type: 'waitFor'; id: string; events: EventFilter[]; timeoutMs: number; then: SkeletonStep[]; else: SkeletonStep[] }
  | { type: 'task'; id: string; kind: string; title: string; assignee?: string; timeoutMs: number; then: SkeletonStep[]; else: SkeletonStep[] }
  | { type: 'branch'; id: string; if: Condition; then: SkeletonStep[]; else: SkeletonStep[] }
  | { type: 'split'; id: string; variants: Array<{ id: string; weight: number; steps: SkeletonStep[] }> }
  | { type: 'exit'; id: string }
  | SkeletonAsk
  | { type: 'setAttribute'; id: string; key: string; value: Scalar | null }
  | { type: 'webhook'; id: string }
  | { type: 'notify'; id: string };

/** An ask as the interpreter sees it: what it accepts and where each answer leads; the question's text stays in the version. */
export interface SkeletonAsk {
  type: 'ask';
  id: string;
  timeoutMs: number;
  options?: Array<{ id: string; score?: number; steps?: SkeletonStep[] }>;
  scale?: { from: number; to: number };
  freeText?: boolean;
  saveAs?: string;
  quiz?: boolean;
  commentOf?: string;
  if?: Condition;
  then: SkeletonStep[];
  else: SkeletonStep[];
  timeout: SkeletonStep[];
}

/** The lean plan carried in a workflow's input. */
export interface PlanSkeleton {
  timezone: string;
  goal: { exit: boolean };
  steps: SkeletonStep[];
  /** The funnel's pages: touches too (`<pageId>.viewed`), so touch conditions can ask about them. */
  pageIds?: string[];
  /** Funnel-level event subscriptions (`on`): the event name and the action steps it runs, in the plan's order. */
  on?: Array<{ event: string; steps: SkeletonStep[] }>;
}

/** The step types that reach the customer. */
export const SKELETON_TOUCH_TYPES: ReadonlySet<string> = new Set(['email', 'sms', 'telegram', 'vk', 'webinarInvite', 'ask', 'push']);

function leanStep(step: Step | SkeletonStep): SkeletonStep {
  switch (step.type) {
    case 'email': case 'sms': case 'telegram': case 'vk': case 'webinarInvite': case 'push':
      return { type: step.type, id: step.id };
    case 'wait':
      return { type: 'wait', id: step.id, ms: step.ms };
    case 'waitUntil': {
      const { type, id, time, weekdays, webinar, date, offsetMs, late } = step;
      return {
        type, id, ...(time !== undefined && { time }), ...(weekdays !== undefined && { weekdays }), ...(webinar !== undefined && { webinar }),
        ...(date !== undefined && { date }), ...(offsetMs !== undefined && { offsetMs }), ...(late !== undefined && { late }),
        ...(step.else !== undefined && { else: step.else.map(leanStep) }),
      };
    }
    case 'waitFor':
      return { type: 'waitFor', id: step.id, events: step.events, timeoutMs: step.timeoutMs, then: step.then.map(leanStep), else: step.else.map(leanStep) };
    case 'task': {
      // What the staff are asked (a line) travels with the skeleton: the hand-off needs it, and it is not the customer's content.
      const { id, kind, title, assignee, timeoutMs } = step;
      return { type: 'task', id, kind, title, ...(assignee !== undefined && { assignee }), timeoutMs, then: step.then.map(leanStep), else: step.else.map(leanStep) };
    }
    case 'branch':
      return { type: 'branch', id: step.id, if: step.if, then: step.then.map(leanStep), else: step.else.map(leanStep) };
    case 'split':
      return { type: 'split', id: step.id, variants: step.variants.map((v) => ({ id: v.id, weight: v.weight, steps: v.steps.map(leanStep) })) };
    case 'exit':
      return { type: 'exit', id: step.id };
    case 'ask':
      return leanAsk(step);
    case 'setAttribute':
      return { type: 'setAttribute', id: step.id, key: step.key, value: step.value };
    case 'webhook': case 'notify':
      return { type: step.type, id: step.id };
  }
}

function leanAsk(step: AskStep | SkeletonAsk): SkeletonAsk {
  const { id, timeoutMs, scale, freeText, saveAs, quiz, commentOf } = step;
  return {
    type: 'ask', id, timeoutMs,
    ...(step.options !== undefined && {
      options: step.options.map((o) => ({ id: o.id, ...(o.score !== undefined && { score: o.score }), ...(o.steps !== undefined && { steps: o.steps.map(leanStep) }) })),
    }),
    ...(scale !== undefined && { scale: { from: scale.from, to: scale.to } }), ...(freeText !== undefined && { freeText }),
    ...(saveAs !== undefined && { saveAs }), ...(quiz !== undefined && { quiz }), ...(commentOf !== undefined && { commentOf }),
    ...(step.if !== undefined && { if: step.if }),
    then: step.then.map(leanStep), else: step.else.map(leanStep), timeout: step.timeout.map(leanStep),
  };
}

/** The lean plan of a full plan (or of a lean one: the result is the same). Deterministic, so safe inside workflows. */
export function skeletonOf(plan: Pick<Plan, 'timezone' | 'goal' | 'steps' | 'pages' | 'on'> | PlanSkeleton): PlanSkeleton {
  const pageIds = 'pageIds' in plan ? plan.pageIds : 'pages' in plan ? plan.pages?.map((p) => p.id) : undefined;
  const on = Array.isArray(plan.on) ? plan.on.map((o) => ({ event: o.event, steps: o.steps.map(leanStep) }))
    : Object.entries(plan.on ?? {}).map(([event, steps]) => ({ event, steps: (steps as Step[]).map(leanStep) }));
  return {
    timezone: plan.timezone, goal: { exit: plan.goal.exit }, steps: (plan.steps as Array<Step | SkeletonStep>).map(leanStep),
    ...(pageIds !== undefined && pageIds.length > 0 && { pageIds }), ...(on.length > 0 && { on }),
  };
}

/** The nested step lists of a lean step, each with its stable key (`<stepId>.then`, `<splitId>.<variantId>`). */
export function skeletonChildLists(step: SkeletonStep): Array<{ key: string; steps: SkeletonStep[] }> {
  switch (step.type) {
    case 'waitFor': case 'task': case 'branch':
      return [{ key: `${step.id}.then`, steps: step.then }, { key: `${step.id}.else`, steps: step.else }];
    case 'split':
      return step.variants.map((v) => ({ key: `${step.id}.${v.id}`, steps: v.steps }));
    case 'waitUntil':
      return step.else !== undefined ? [{ key: `${step.id}.else`, steps: step.else }] : [];
    case 'ask':
      return [
        ...(step.options ?? []).filter((o) => o.steps !== undefined).map((o) => ({ key: `${step.id}.${o.id}`, steps: o.steps! })),
        { key: `${step.id}.then`, steps: step.then }, { key: `${step.id}.else`, steps: step.else }, { key: `${step.id}.timeout`, steps: step.timeout },
      ];
    default:
      return [];
  }
}
