/**
 * A small layered layout for the flow, top to bottom, as a structured flowchart. Each step sits
 * below the step that dominates it (every path to it passes there): one reached through a single
 * branch goes in that branch's columns; one where branches join again goes below the whole block
 * of branches, centred. Every branch owns its columns (an empty one too, for its "+"), so
 * branches never overlap, and a block of branches is as wide as its branches, not as the whole
 * rest of the flow. Loops (arrows back up) are set aside and drawn on the right. Close to linear
 * in nodes and edges: 500 nodes lay out in a few milliseconds.
 */

import { COL, type FlowEdge, type LaidLink, type Point, ROW, type Slot } from "./geometry";
import { drawLinks } from "./routes";

export { type FlowEdge, type LaidLink, NODE_H, NODE_W, type Point } from "./geometry";

export interface FlowNode {
  id: string;
  /** Outgoing branch names in drawing order (`undefined`: a plain edge) and their labels. */
  branches: { key: string | undefined; label?: string | undefined }[];
}

export interface Layout {
  /** Top-centre of each node. */
  nodes: Map<string, Point>;
  trigger: Point;
  links: LaidLink[];
  width: number;
  height: number;
}

/** The flow as the layout sees it: slots per node, loops set aside, and the dominator tree. */
interface Shape {
  slots: Map<string, Slot[]>;
  /** Steps where branches join, below the block of the step that dominates them, in flow order. */
  joins: Map<string | null, string[]>;
  roots: string[];
}

/** Lays out the flow; the entry (the trigger's node) is `entry`, drawn first and leftmost. */
export function layoutFlow(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  entry: string | null,
): Layout {
  const shape = shapeOf(nodes, edges, entry);
  const width = new Map<string, number>();
  const at = new Map<string, { col: number; rank: number }>();
  let cursor = 0;
  let bottom = -1;
  for (const root of shape.roots) {
    bottom = Math.max(bottom, place(root, cursor, 0, shape, width, at));
    cursor += measure(root, shape, width);
  }
  for (const join of shape.joins.get(null) ?? []) {
    bottom = place(join, 0, bottom + 1, shape, width, at);
    cursor = Math.max(cursor, measure(join, shape, width));
  }
  const points = new Map<string, Point>();
  for (const [id, spot] of at) points.set(id, { x: spot.col * COL, y: (spot.rank + 1) * ROW });
  const entryAt = entry ? points.get(entry) : undefined;
  const trigger = { x: entryAt?.x ?? COL / 2, y: 0 };
  const links = drawLinks(shape.slots, points, trigger, entry);
  return { nodes: points, trigger, links, width: Math.max(1, cursor) * COL, height: (bottom + 3) * ROW };
}

function shapeOf(nodes: readonly FlowNode[], edges: readonly FlowEdge[], entry: string | null): Shape {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const outs = new Map<string, FlowEdge[]>();
  for (const edge of edges) {
    if (!byId.has(edge.from) || !byId.has(edge.to)) continue;
    outs.set(edge.from, [...(outs.get(edge.from) ?? []), edge]);
  }
  const { roots, loops, order } = walk(byId, outs, entry);
  const slots = new Map(
    nodes.map((node) => [node.id, slotsOf(node.branches, outs.get(node.id) ?? [], loops)]),
  );
  const idom = dominators(order, outs, loops);
  const joins = new Map<string | null, string[]>();
  const preds = predecessors(outs, loops);
  for (const id of order) {
    const parent = idom.get(id) ?? null;
    const from = preds.get(id) ?? [];
    const single = parent !== null && from.length > 0 && from.every((edge) => edge.from === parent);
    const slot = single ? slots.get(parent)?.find((candidate) => candidate.edge?.to === id) : undefined;
    if (slot) slot.child = id;
    else if (parent !== null || !roots.includes(id)) joins.set(parent, [...(joins.get(parent) ?? []), id]);
  }
  return { slots, joins, roots };
}

/** Depth-first from the entry, then from the other sources and anything left: loops and a flow order. */
function walk(byId: Map<string, FlowNode>, outs: Map<string, FlowEdge[]>, entry: string | null) {
  const state = new Map<string, "open" | "done">();
  const loops = new Set<FlowEdge>();
  const finished: string[] = [];
  const roots: string[] = [];
  const visit = (id: string) => {
    state.set(id, "open");
    for (const edge of outs.get(id) ?? []) {
      if (!state.has(edge.to)) visit(edge.to);
      else if (state.get(edge.to) === "open") loops.add(edge);
    }
    state.set(id, "done");
    finished.push(id);
  };
  const incoming = new Set([...outs.values()].flat().map((edge) => edge.to));
  const ids = [...byId.keys()];
  for (const id of [...(entry ? [entry] : []), ...ids.filter((id) => !incoming.has(id)), ...ids]) {
    if (state.has(id)) continue;
    roots.push(id);
    visit(id);
  }
  // Reverse finishing order is a topological order of the flow without its loops.
  return { roots, loops, order: finished.reverse() };
}

/** One slot per declared branch (empty or not), then one per edge on an undeclared branch. */
function slotsOf(declared: FlowNode["branches"], outs: FlowEdge[], loops: Set<FlowEdge>): Slot[] {
  const used = new Set<FlowEdge>();
  const slots: Slot[] = declared.map(({ key, label }) => {
    const edge = outs.find((candidate) => candidate.branch === key && !used.has(candidate));
    if (edge) used.add(edge);
    return { key, label, ...(edge ? { edge, loop: loops.has(edge) } : {}), center: 0 };
  });
  for (const edge of outs)
    if (!used.has(edge))
      slots.push({ key: edge.branch, label: edge.branch, edge, loop: loops.has(edge), center: 0 });
  return slots;
}

function predecessors(outs: Map<string, FlowEdge[]>, loops: Set<FlowEdge>): Map<string, FlowEdge[]> {
  const preds = new Map<string, FlowEdge[]>();
  for (const list of outs.values())
    for (const edge of list) if (!loops.has(edge)) preds.set(edge.to, [...(preds.get(edge.to) ?? []), edge]);
  return preds;
}

/**
 * Immediate dominators over the flow without loops, in topological order: a node's is the
 * nearest common dominator of its predecessors (null: none but the virtual start).
 */
function dominators(
  order: string[],
  outs: Map<string, FlowEdge[]>,
  loops: Set<FlowEdge>,
): Map<string, string | null> {
  const idom = new Map<string, string | null>();
  const depth = new Map<string, number>();
  const preds = predecessors(outs, loops);
  const common = (a: string | null, b: string | null): string | null => {
    let [x, y] = [a, b];
    while (x !== y && x !== null && y !== null) {
      if ((depth.get(x) ?? 0) >= (depth.get(y) ?? 0)) x = idom.get(x) ?? null;
      else y = idom.get(y) ?? null;
    }
    return x === y ? x : null;
  };
  for (const id of order) {
    const from = (preds.get(id) ?? []).map((edge) => edge.from).filter((p) => idom.has(p));
    const first = from[0];
    const dom =
      first === undefined ? null : from.slice(1).reduce<string | null>((acc, p) => common(acc, p), first);
    idom.set(id, dom);
    depth.set(id, dom === null ? 0 : (depth.get(dom) ?? 0) + 1);
  }
  return idom;
}

/** Columns a node's block needs: its branches side by side, or its joins (stacked), whichever is wider. */
function measure(id: string, shape: Shape, width: Map<string, number>): number {
  const known = width.get(id);
  if (known !== undefined) return known;
  const slots = shape.slots.get(id) ?? [];
  const across = slots.reduce((sum, slot) => sum + (slot.child ? measure(slot.child, shape, width) : 1), 0);
  const below = Math.max(0, ...(shape.joins.get(id) ?? []).map((join) => measure(join, shape, width)));
  const result = Math.max(1, across, below);
  width.set(id, result);
  return result;
}

/**
 * Places a node's block with its left edge at column `left` and the node on row `rank`: its
 * branches below it, side by side, then its joins below all of them. Returns the block's last row.
 */
function place(
  id: string,
  left: number,
  rank: number,
  shape: Shape,
  width: Map<string, number>,
  at: Map<string, { col: number; rank: number }>,
): number {
  const span = measure(id, shape, width);
  const slots = shape.slots.get(id) ?? [];
  const across = slots.reduce((sum, slot) => sum + (slot.child ? measure(slot.child, shape, width) : 1), 0);
  let cursor = left + (span - across) / 2;
  let bottom = rank;
  for (const slot of slots) {
    const size = slot.child ? measure(slot.child, shape, width) : 1;
    if (slot.child) bottom = Math.max(bottom, place(slot.child, cursor, rank + 1, shape, width, at));
    slot.center = slot.child ? (at.get(slot.child)?.col ?? cursor + size / 2) : cursor + size / 2;
    cursor += size;
  }
  const first = slots[0];
  const last = slots[slots.length - 1];
  const col = first && last ? (first.center + last.center) / 2 : left + span / 2;
  at.set(id, { col, rank });
  for (const join of shape.joins.get(id) ?? []) {
    const size = measure(join, shape, width);
    const joinLeft = Math.min(Math.max(col - size / 2, left), left + span - size);
    bottom = place(join, joinLeft, bottom + 1, shape, width, at);
  }
  return bottom;
}
