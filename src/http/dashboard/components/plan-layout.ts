import { childLists, type Step } from '../../../dsl/plan';
import type { FlowCounts } from '../data/plan-flow';

/** A box of the drawing: the entry, a step, or the stand-in for an empty arm. */
export interface FlowNode {
  id: string;
  kind: 'entry' | 'step' | 'empty';
  title: string;
  detail: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A line into a node (or arm), drawn through `points`; `count` sits next to its last segment. */
export interface FlowEdge {
  to: string;
  points: Array<[number, number]>;
  count: number | undefined;
  /** The arm's name (then, else, a variant id) for edges into an arm. */
  arm?: string | undefined;
  /** Lines that only merge arms back into the list carry no label. */
  labelled: boolean;
}

/** The whole drawing, sized to fit. */
export interface FlowLayout {
  width: number;
  height: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const BOX_W = 176;
const BOX_H = 44;
const EMPTY_H = 22;
const GAP_Y = 46;
const GAP_X = 22;
const MARGIN = 16;

const widthOf = (step: Step): number => {
  const lists = childLists(step);
  if (lists.length === 0) return BOX_W;
  const arms = lists.map((l) => listWidth(l.steps));
  return Math.max(BOX_W, arms.reduce((a, b) => a + b, 0) + GAP_X * (arms.length - 1));
};
const listWidth = (steps: Step[]): number => Math.max(BOX_W, ...steps.map(widthOf));

/** What a step box says under its id: its type and the one detail that tells it apart. */
function detailOf(step: Step): string {
  switch (step.type) {
    case 'webinarInvite': return `webinar · ${step.via}`;
    case 'waitFor': return `waitFor ${step.events.map((e) => e.name).join(', ')}`;
    case 'task': return `task · ${step.kind}`;
    case 'exit': return step.reason ? `exit · ${step.reason}` : 'exit';
    case 'ask': return `ask · ${step.via}${step.scale ? ` ${step.scale.from}–${step.scale.to}` : ''}`;
    case 'setAttribute': return `set ${step.key}`;
    default: return step.type;
  }
}

/** Ends of a laid-out list from which the next step continues (none after an exit). */
type Exits = Array<[number, number]>;

/**
 * Lays a plan out top to bottom: each list is a column of boxes; a step with arms (waitFor, branch, split) puts its
 * arms side by side below it, and the arms' ends merge into the next step of the list.
 */
export function layoutPlan(steps: Step[], counts: FlowCounts, entryTitle: string): FlowLayout {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const width = listWidth(steps) + 2 * MARGIN;
  const cx0 = width / 2;
  nodes.push({ id: '__entry', kind: 'entry', title: entryTitle, detail: '', x: cx0 - BOX_W / 2, y: MARGIN, w: BOX_W, h: BOX_H });

  /** Draws lines from `exits` into a node whose top centre is (cx, top); one labelled segment carries the count. */
  const connect = (exits: Exits, cx: number, top: number, to: string, count: number | undefined) => {
    const mid = top - GAP_Y / 2;
    for (const [x, y] of exits) {
      if (x === cx && exits.length === 1) continue;
      edges.push({ to, points: [[x, y], [x, mid], [cx, mid]], count: undefined, labelled: false });
    }
    const start: [number, number] = exits.length === 1 && exits[0]?.[0] === cx ? exits[0] : [cx, mid];
    edges.push({ to, points: [start, [cx, top]], count, labelled: true });
  };

  /** `entry` null: the list's first box is already connected (an arm edge ends on it). */
  const layList = (list: Step[], cx: number, top: number, entry: Exits | null): { bottom: number; exits: Exits } => {
    let exits = entry ?? [];
    let y = top;
    list.forEach((step, i) => {
      if (i > 0) y += GAP_Y;
      if (i === 0 ? entry !== null : exits.length > 0) connect(exits, cx, y, step.id, counts.steps.get(step.id));
      nodes.push({ id: step.id, kind: 'step', title: step.id, detail: detailOf(step), x: cx - BOX_W / 2, y, w: BOX_W, h: BOX_H });
      const lists = childLists(step);
      if (lists.length === 0) {
        y += BOX_H;
        exits = step.type === 'exit' ? [] : [[cx, y]];
        return;
      }
      const armWidths = lists.map((l) => listWidth(l.steps));
      const total = armWidths.reduce((a, b) => a + b, 0) + GAP_X * (lists.length - 1);
      let left = cx - total / 2;
      const boxBottom = y + BOX_H;
      const armTop = boxBottom + GAP_Y;
      let bottom = armTop;
      const merged: Exits = [];
      lists.forEach((l, k) => {
        const armCx = left + (armWidths[k] ?? BOX_W) / 2;
        left += (armWidths[k] ?? BOX_W) + GAP_X;
        const arm = l.key.slice(step.id.length + 1);
        const mid = boxBottom + GAP_Y / 3;
        edges.push({ to: l.key, points: [[cx, boxBottom], [cx, mid], [armCx, mid], [armCx, armTop]], count: counts.arms.get(l.key), arm, labelled: true });
        if (l.steps.length === 0) {
          nodes.push({ id: l.key, kind: 'empty', title: '—', detail: '', x: armCx - BOX_W / 4, y: armTop, w: BOX_W / 2, h: EMPTY_H });
          bottom = Math.max(bottom, armTop + EMPTY_H);
          merged.push([armCx, armTop + EMPTY_H]);
          return;
        }
        const laid = layList(l.steps, armCx, armTop, null);
        bottom = Math.max(bottom, laid.bottom);
        merged.push(...laid.exits);
      });
      y = bottom;
      exits = merged;
    });
    return { bottom: y, exits };
  };

  const firstTop = MARGIN + BOX_H + GAP_Y;
  const laid = layList(steps, cx0, firstTop, [[cx0, MARGIN + BOX_H]]);
  return { width, height: laid.bottom + MARGIN, nodes, edges };
}
