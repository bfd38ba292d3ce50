/**
 * Where the edges of the laid-out flow run: down from a step, sideways to its branch's column,
 * down into the next step (or, for a join below, down the branch's own column and across just
 * above it); loops back up the right-hand side. Each with its label and the place of its "+".
 */
import { COL, type LaidLink, NODE_H, NODE_W, type Point, type Slot } from "./geometry";

/** Below a node: where branches turn sideways, where their label sits, where their "+" sits. */
const TURN = 16;
const LABEL = 34;
const PLUS = 62;

/** Paths, labels and "+" places of every edge and empty branch, and the trigger's edge. */
export function drawLinks(
  slots: Map<string, Slot[]>,
  at: Map<string, Point>,
  trigger: Point,
  entry: string | null,
): LaidLink[] {
  const links: LaidLink[] = [];
  const entryAt = entry ? at.get(entry) : undefined;
  const bottom = trigger.y + NODE_H;
  links.push({
    key: "trigger",
    from: null,
    to: entry ?? undefined,
    path: `M${trigger.x} ${bottom}V${entryAt ? entryAt.y : bottom + PLUS - 11}`,
    plus: { x: trigger.x, y: bottom + PLUS },
    kind: entryAt ? "edge" : "empty",
  });
  let loops = 0;
  for (const [id, list] of slots) {
    const from = at.get(id);
    if (!from) continue;
    for (const slot of list) links.push(linkOf(id, from, slot, at, slot.loop ? loops++ : 0));
  }
  return links;
}

function linkOf(id: string, from: Point, slot: Slot, at: Map<string, Point>, loopIndex: number): LaidLink {
  const sx = slot.center * COL;
  const y1 = from.y + NODE_H;
  const to = slot.edge ? at.get(slot.edge.to) : undefined;
  const base = {
    key: `${id}>${slot.key ?? ""}>${slot.edge?.to ?? ""}`,
    from: id,
    to: slot.edge?.to,
    branch: slot.key,
  };
  const label = slot.label ? { x: sx, y: y1 + LABEL, text: slot.label } : undefined;
  const down = `M${from.x} ${y1}V${y1 + TURN}H${sx}`;
  if (!to)
    return {
      ...base,
      label,
      path: `${down}V${y1 + PLUS - 11}`,
      plus: { x: sx, y: y1 + PLUS },
      kind: "empty",
    };
  if (slot.loop || to.y <= from.y) {
    // Back up the right-hand side into the side of the step it returns to.
    const side = Math.max(from.x, to.x) + NODE_W / 2 + 14 + loopIndex * 6;
    const path = `M${from.x + NODE_W / 2} ${from.y + NODE_H / 2}H${side}V${to.y + NODE_H / 2}H${to.x + NODE_W / 2}`;
    return { ...base, label, path, plus: { x: side, y: (from.y + to.y + NODE_H) / 2 }, kind: "loop" };
  }
  const straight = Math.abs(sx - to.x) < 1;
  const path = straight ? `${down}V${to.y}` : `${down}V${to.y - TURN}H${to.x}V${to.y}`;
  return { ...base, label, path, plus: { x: sx, y: y1 + PLUS }, kind: "edge" };
}
