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
const heightOf = (step: Step): number => {
  const lists = childLists(step);
  if (lists.length === 0) return BOX_H;
  return BOX_H + GAP_Y + Math.max(...lists.map((l) => (l.steps.length === 0 ? EMPTY_H : listHeight(l.steps))));
};
const listHeight = (steps: Step[]): number => steps.reduce((h, s, i) => h + heightOf(s) + (i > 0 ? GAP_Y : 0), 0);

/** The column heights tried: the drawing wraps into columns like a newspaper, at whichever makes it shortest. */
const COLUMN_HEIGHTS = [600, 700, 800, 900, 1000, 1200];
/** Columns sit side by side up to this width (a 1,280-px page's content), then wrap into the next row. */
export const DRAWING_WIDTH = 1150;
const COL_GAP = 48;

/** Cuts the top-level list into columns no taller than `budget` (a step taller than that gets a column of its own). */
function cutColumns(steps: Step[], firstTop: number, budget: number): Step[][] {
  const columns: Step[][] = [];
  let column: Step[] = [];
  let height = firstTop - MARGIN;
  for (const step of steps) {
    const h = heightOf(step) + (column.length > 0 ? GAP_Y : 0);
    if (column.length > 0 && height + h > budget) {
      columns.push(column);
      column = [];
      height = GAP_Y;
    }
    height += heightOf(step) + (column.length > 0 ? GAP_Y : 0);
    column.push(step);
  }
  if (column.length > 0) columns.push(column);
  return columns;
}

type Place = { left: number; width: number; row: number };

/** Where each column goes: left to right, a new row when the next would pass DRAWING_WIDTH. */
function placeColumns(columns: Step[][]): Place[] {
  const places: Place[] = [];
  let left = MARGIN;
  let row = 0;
  for (const column of columns) {
    const w = listWidth(column);
    if (places.length > 0 && left + w > DRAWING_WIDTH - MARGIN) { left = MARGIN; row += 1; }
    places.push({ left, width: w, row });
    left += w + COL_GAP;
  }
  return places;
}

/** The columns and their places at the column height that gives the shortest drawing (the narrowest on a tie). */
function arrange(steps: Step[], firstTop: number): { columns: Step[][]; places: Place[] } {
  let best: { columns: Step[][]; places: Place[]; height: number; width: number } | null = null;
  for (const budget of COLUMN_HEIGHTS) {
    const columns = cutColumns(steps, firstTop, budget);
    const places = placeColumns(columns);
    const rows = new Map<number, number>();
    columns.forEach((c, k) => rows.set(places[k]!.row, Math.max(rows.get(places[k]!.row) ?? 0, listHeight(c))));
    const height = [...rows.values()].reduce((a, b) => a + b + 2 * GAP_Y, 0);
    const width = Math.max(...places.map((p) => p.left + p.width));
    if (!best || height < best.height || (height === best.height && width < best.width)) best = { columns, places, height, width };
  }
  return best!;
}

/** How a step box names a step type (the page's language; the type itself by default). */
export type TypeLabel = (type: string) => string;

/** What a step box says under its id: its type (as `label` names it) and the one detail that tells it apart. */
function detailOf(step: Step, label: TypeLabel): string {
  switch (step.type) {
    case 'webinarInvite': return `${label(step.type)} · ${step.via}`;
    case 'waitFor': return `${label(step.type)} ${step.events.map((e) => e.name).join(', ')}`;
    case 'task': return `${label(step.type)} · ${step.kind}`;
    case 'exit': return step.reason ? `${label(step.type)} · ${step.reason}` : label(step.type);
    case 'ask': return `${label(step.type)} · ${step.via}${step.scale ? ` ${step.scale.from}–${step.scale.to}` : ''}`;
    case 'setAttribute': return `${label(step.type)} ${step.key}`;
    default: return label(step.type);
  }
}

/** Ends of a laid-out list from which the next step continues (none after an exit). */
type Exits = Array<[number, number]>;

/**
 * Lays a plan out top to bottom: each list is a column of boxes; a step with arms (waitFor, branch, split) puts its
 * arms side by side below it, and the arms' ends merge into the next step of the list. A long plan wraps into columns
 * of about a screen's height, side by side within DRAWING_WIDTH (then in rows), joined by a line through the gutter,
 * so it reads on a 1,280-px page without a 4,000-px column.
 */
export function layoutPlan(steps: Step[], counts: FlowCounts, entryTitle: string, label: TypeLabel = (t) => t): FlowLayout {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const firstTop = MARGIN + BOX_H + GAP_Y;
  const { columns, places } = arrange(steps, firstTop);
  const width = Math.max(...places.map((p) => p.left + p.width), BOX_W + MARGIN) + MARGIN;
  const cx0 = MARGIN + (places[0]?.width ?? BOX_W) / 2;
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
      nodes.push({ id: step.id, kind: 'step', title: step.id, detail: detailOf(step, label), x: cx - BOX_W / 2, y, w: BOX_W, h: BOX_H });
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

  // Rows stack; each row's columns start at the same top, the first row under the entry box.
  let rowTop = firstTop;
  let rowBottom = firstTop;
  let exits: Exits = [[cx0, MARGIN + BOX_H]];
  let prev: { right: number; cx: number } | null = null;
  columns.forEach((column, k) => {
    const place = places[k]!;
    const cx = place.left + place.width / 2;
    const first = column[0]!;
    if (prev !== null) {
      const newRow = place.row !== places[k - 1]!.row;
      if (newRow) rowTop = rowBottom + 2 * GAP_Y;
      jump(exits, prev, { cx, top: rowTop, newRow, below: newRow ? rowBottom + GAP_Y : rowBottomOf(exits) + GAP_Y / 3 }, first.id, counts.steps.get(first.id));
    }
    const laid = layList(column, cx, rowTop, prev === null ? exits : null);
    rowBottom = place.row === (places[k - 1]?.row ?? 0) && k > 0 ? Math.max(rowBottom, laid.bottom) : laid.bottom;
    exits = laid.exits;
    prev = { right: place.left + place.width, cx };
  });
  return { width, height: Math.max(rowBottom, ...nodes.map((n) => n.y + n.h)) + MARGIN, nodes, edges };

  function rowBottomOf(ends: Exits): number {
    return Math.max(0, ...ends.map(([, y]) => y));
  }

  /**
   * Joins the ends of one column to the first box of the next: down under the column, then along the gutter up to the
   * next column's top (same row) or across under the row (next row); the last segment carries the count.
   */
  function jump(ends: Exits, from: { right: number; cx: number }, to: { cx: number; top: number; newRow: boolean; below: number }, id: string, count: number | undefined) {
    if (ends.length === 0) return; // the column ended in an exit: nothing continues
    const below = to.newRow ? to.below : rowBottomOf(ends) + GAP_Y / 3;
    for (const [x, y] of ends) edges.push({ to: id, points: [[x, y], [x, below], [from.cx, below]], count: undefined, labelled: false });
    const above = to.top - GAP_Y / 2;
    const route: Array<[number, number]> = to.newRow
      ? [[from.cx, below], [to.cx, below], [to.cx, above]]
      : [[from.cx, below], [from.right + COL_GAP / 2, below], [from.right + COL_GAP / 2, above], [to.cx, above]];
    edges.push({ to: id, points: route, count: undefined, labelled: false });
    edges.push({ to: id, points: [[to.cx, above], [to.cx, to.top]], count, labelled: true });
  }
}
