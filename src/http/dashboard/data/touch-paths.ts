import { childLists, isTouch, type Step } from '../../../dsl/plan';

/** Where a touch sits: how deep in arms, and which touches (or the entry) every enrollment reaching it came through. */
export interface TouchPath {
  /** 0 on the main line, +1 inside each waitFor/branch/split arm. */
  depth: number;
  /**
   * The touches whose reached counts add up to the people who could reach this one: the previous touch in the same
   * list, the last touches of every arm merging before it, or `ENTRY` for the first touch; empty when there is no
   * such base (the first touch of an arm, whose base is split with its sibling arms, or after an arm with no touch).
   */
  base: string[];
}

/** The pseudo-touch "enrolled" in a TouchPath's base. */
export const ENTRY = '__enrolled';

type End = string[] | 'exit' | null;

/** The path of every touch of a plan, for showing drop-off only where it means "lost between these two touches". */
export function touchPaths(steps: Step[]): Map<string, TouchPath> {
  const out = new Map<string, TouchPath>();
  const visit = (list: Step[], before: string[] | null, depth: number): End => {
    let prev: End = before;
    for (const step of list) {
      if (step.type === 'exit') return 'exit';
      if (isTouch(step)) {
        out.set(step.id, { depth, base: Array.isArray(prev) ? prev : [] });
        prev = [step.id];
        continue;
      }
      const lists = childLists(step);
      if (lists.length === 0) continue;
      const ends = lists.map((l) => visit(l.steps, null, depth + 1)).filter((e) => e !== 'exit');
      if (ends.length === 0) return 'exit';
      prev = ends.every((e) => Array.isArray(e) && e.length > 0) ? ends.flatMap((e) => e as string[]) : null;
    }
    return prev;
  };
  visit(steps, [ENTRY], 0);
  return out;
}
