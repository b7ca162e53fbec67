import type { Step } from '../src/dsl/plan';

const TOUCH_TYPES = new Set<Step['type']>(['email', 'sms', 'telegram', 'webinarInvite']);

/** Every step list of a plan by key (`root`, `<stepId>.then|else`, `<splitId>.<variantId>`), and its touch ids. */
export function indexStepLists(root: Step[]): { byKey: Map<string, Step[]>; touchIds: Set<string> } {
  const byKey = new Map<string, Step[]>([['root', root]]);
  const touchIds = new Set<string>();
  const visit = (steps: Step[]) => {
    for (const step of steps) {
      if (TOUCH_TYPES.has(step.type)) touchIds.add(step.id);
      if (step.type === 'waitFor' || step.type === 'task' || step.type === 'branch') {
        byKey.set(`${step.id}.then`, step.then);
        byKey.set(`${step.id}.else`, step.else);
        visit(step.then);
        visit(step.else);
      } else if (step.type === 'split') {
        for (const v of step.variants) {
          byKey.set(`${step.id}.${v.id}`, v.steps);
          visit(v.steps);
        }
      }
    }
  };
  visit(root);
  return { byKey, touchIds };
}
