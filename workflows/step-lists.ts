import { SKELETON_TOUCH_TYPES, skeletonChildLists, type SkeletonStep } from './skeleton';

/** Every step list of a plan by key (`root`, `<stepId>.then|else`, `<splitId>.<variantId>`), and its touch ids. */
export function indexStepLists(root: SkeletonStep[]): { byKey: Map<string, SkeletonStep[]>; touchIds: Set<string> } {
  const byKey = new Map<string, SkeletonStep[]>([['root', root]]);
  const touchIds = new Set<string>();
  const visit = (steps: SkeletonStep[]) => {
    for (const step of steps) {
      if (SKELETON_TOUCH_TYPES.has(step.type)) touchIds.add(step.id);
      for (const list of skeletonChildLists(step)) {
        byKey.set(list.key, list.steps);
        visit(list.steps);
      }
    }
  };
  visit(root);
  return { byKey, touchIds };
}
