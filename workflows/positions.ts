/*
 * Where an enrollment is, by step id, and how that place is found again in another version of its funnel: the one
 * rule a migration follows, used by the workflow when it moves and by the dry run that predicts the move.
 */
import type { Frame } from './types';
import { skeletonChildLists, type SkeletonStep } from './skeleton';

/** A step and the step list it sits in. */
export interface Located {
  step: SkeletonStep;
  /** The frames that make the interpreter run this step next: its ancestors' lists past them, its own list at it. */
  frames: Frame[];
}

/** Finds a step by id anywhere in a plan, with the frames that lead the interpreter to it; null when the plan has none. */
export function locateStep(root: SkeletonStep[], stepId: string): Located | null {
  const walk = (steps: SkeletonStep[], key: string, above: Frame[]): Located | null => {
    for (const [index, step] of steps.entries()) {
      if (step.id === stepId) return { step, frames: [...above, { list: key, index }] };
      for (const child of skeletonChildLists(step)) {
        const found = walk(child.steps, child.key, [...above, { list: key, index: index + 1 }]);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(root, 'root', []);
}

/** The id of the step the interpreter runs next from these frames (the innermost list first); null at the plan's end. */
export function nextStepId(frames: Frame[], byKey: Map<string, SkeletonStep[]>): string | null {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const step = byKey.get(frame.list)?.[frame.index];
    if (step) return step.id;
  }
  return null;
}

/** Why an enrollment cannot continue at a step of the target version. */
export type StayReason = 'step_removed' | 'type_changed';

/** Where an enrollment at `stepId` goes in the target version, given the marketer's map (`old step → new step`). */
export function destinationOf(target: SkeletonStep[], from: SkeletonStep | null, stepId: string, map: Record<string, string>):
  { ok: true; stepId: string; located: Located } | { ok: false; reason: StayReason; stepId: string } {
  const to = map[stepId] ?? stepId;
  const located = locateStep(target, to);
  if (!located) return { ok: false, reason: 'step_removed', stepId: to };
  if (from && from.type !== located.step.type) return { ok: false, reason: 'type_changed', stepId: to };
  return { ok: true, stepId: to, located };
}
