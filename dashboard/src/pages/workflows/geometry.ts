/** The sizes of the canvas's grid and the shapes the layout and the edge routing share. */

export const NODE_W = 232;
export const NODE_H = 104;
const GAP_X = 36;
const GAP_Y = 96;
/** One column: a card and the gap beside it. */
export const COL = NODE_W + GAP_X;
/** One row: a card and the room below it for branch turns, labels and the "+". */
export const ROW = NODE_H + GAP_Y;

export interface FlowEdge {
  from: string;
  to: string;
  branch?: string | undefined;
}

export interface Point {
  x: number;
  y: number;
}

/** An edge or an empty branch, drawn, with the place of its "+" (which inserts there). */
export interface LaidLink {
  key: string;
  /** null: the trigger. */
  from: string | null;
  to?: string | undefined;
  branch?: string | undefined;
  path: string;
  label?: Point & { text: string };
  plus: Point;
  kind: "edge" | "empty" | "loop";
}

export interface Slot {
  key: string | undefined;
  label?: string | undefined;
  edge?: FlowEdge;
  /** The step drawn in this slot's columns: reached only through it. */
  child?: string;
  loop?: boolean;
  center: number;
}
