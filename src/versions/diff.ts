import stringify from 'safe-stable-stringify';
import type { Plan, Step } from '../dsl/plan';
import { childLists, isTouch } from '../dsl/plan';
import { formatDuration } from '../dsl/duration';

/** A step where it sits: its list (`root`, `<stepId>.then`, `<splitId>.<variantId>`) and the step itself. */
interface Placed {
  step: Step;
  list: string;
}

function place(steps: Step[], list = 'root', out = new Map<string, Placed>()): Map<string, Placed> {
  for (const step of steps) {
    out.set(step.id, { step, list });
    for (const child of childLists(step)) place(child.steps, child.key, out);
  }
  return out;
}

/** How a step's timing reads: `12h`, `10:00`, `masterclass −3h`, `timeout 2d`; null for a step without one. */
export function timingOf(step: Step): string | null {
  switch (step.type) {
    case 'wait': return formatDuration(step.ms);
    case 'waitFor': case 'ask': return `timeout ${formatDuration(step.timeoutMs)}`;
    case 'waitUntil': {
      if (step.webinar !== undefined) {
        const o = step.offsetMs ?? 0;
        return `${step.webinar} ${o < 0 ? '−' : '+'}${formatDuration(Math.abs(o) || 0)}${step.late ? ` (late: ${step.late})` : ''}`;
      }
      if (step.date !== undefined) {
        const o = step.offsetMs ?? 0;
        return `${step.date} ${o < 0 ? '−' : '+'}${formatDuration(Math.abs(o) || 0)}${step.time ? ` ${step.time}` : ''}${step.late ? ` (late: ${step.late})` : ''}`;
      }
      return [step.time, step.weekdays ? `weekdays ${step.weekdays.join(',')}` : undefined].filter(Boolean).join(' ');
    }
    default: return null;
  }
}

/** What a step decides by, besides timing: event filters, conditions, weights (its children compared on their own). */
function logicOf(step: Step): string | null {
  switch (step.type) {
    case 'waitFor': return stringify(step.events) ?? null;
    case 'branch': return stringify(step.if) ?? null;
    case 'split': return stringify(step.variants.map((v) => [v.id, v.weight])) ?? null;
    case 'ask': return stringify([step.options?.map((o) => [o.id, o.score ?? null]), step.scale, step.freeText, step.saveAs, step.if]) ?? null;
    case 'setAttribute': return stringify([step.key, step.value]) ?? null;
    case 'webhook': return stringify([step.url, step.event, step.data]) ?? null;
    default: return null;
  }
}

/** A touch's content: everything about it (its id aside), so any edit of subject, body, buttons or fallbacks counts. */
function contentOf(step: Step): string | null {
  return isTouch(step) ? stringify({ ...step, id: undefined }) ?? null : null;
}

/** The difference between two versions of a funnel, by step id. */
export interface VersionDiff {
  added: Array<{ stepId: string; type: string }>;
  removed: Array<{ stepId: string; type: string }>;
  /** In another list, or in another order among the steps both versions have. */
  moved: Array<{ stepId: string; from: string; to: string }>;
  /** Touches (and pages) whose content changed: every one not yet sent goes out with the new content after a move. */
  contentChanged: string[];
  timingChanged: Array<{ stepId: string; from: string; to: string }>;
  /** Steps whose event filters, condition or weights changed. */
  logicChanged: string[];
  /** Steps whose type changed under the same id (a map cannot move an enrollment there). */
  typeChanged: Array<{ stepId: string; from: string; to: string }>;
}

/** Compares two plans step by step (by id); pages count as touches whose content can change. */
export function diffPlans(from: Plan, to: Plan): VersionDiff {
  const a = place(from.steps);
  const b = place(to.steps);
  const diff: VersionDiff = { added: [], removed: [], moved: [], contentChanged: [], timingChanged: [], logicChanged: [], typeChanged: [] };
  for (const [id, p] of b) if (!a.has(id)) diff.added.push({ stepId: id, type: p.step.type });
  for (const [id, p] of a) if (!b.has(id)) diff.removed.push({ stepId: id, type: p.step.type });
  // The order of the steps both versions have, per list: a step is moved when its list or its rank there changed.
  const rank = (m: Map<string, Placed>, other: Map<string, Placed>) => {
    const out = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const [id, p] of m) {
      if (!other.has(id)) continue;
      const n = seen.get(p.list) ?? 0;
      out.set(id, n);
      seen.set(p.list, n + 1);
    }
    return out;
  };
  const ra = rank(a, b);
  const rb = rank(b, a);
  for (const [id, pa] of a) {
    const pb = b.get(id);
    if (!pb) continue;
    if (pa.step.type !== pb.step.type) {
      diff.typeChanged.push({ stepId: id, from: pa.step.type, to: pb.step.type });
      continue;
    }
    if (pa.list !== pb.list || ra.get(id) !== rb.get(id)) diff.moved.push({ stepId: id, from: pa.list, to: pb.list });
    if (contentOf(pa.step) !== contentOf(pb.step)) diff.contentChanged.push(id);
    const [ta, tb] = [timingOf(pa.step), timingOf(pb.step)];
    if (ta !== tb) diff.timingChanged.push({ stepId: id, from: ta ?? '', to: tb ?? '' });
    if (logicOf(pa.step) !== logicOf(pb.step)) diff.logicChanged.push(id);
  }
  const pagesA = new Map((from.pages ?? []).map((p) => [p.id, stringify(p)]));
  for (const p of to.pages ?? []) {
    const before = pagesA.get(p.id);
    if (before !== undefined && before !== stringify(p)) diff.contentChanged.push(p.id);
  }
  return diff;
}
