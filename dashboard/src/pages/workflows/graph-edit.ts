/**
 * Edits of the flow's shape, as pure functions of the document: insert a node on an edge or under
 * a leaf, delete one (its single child takes its place), add and remove split branches.
 */
import type { NodeType, WorkflowEdge } from "../../../../workers/contract/workflows";
import { branchesOf, newNode, nextNodeId, type WorkflowDoc } from "./model";

/**
 * Where a new node goes: after `from` (null: the trigger) on `branch`, in front of `to` when the
 * place is an edge rather than an empty branch.
 */
export interface InsertPoint {
  from: string | null;
  branch?: string | undefined;
  to?: string | undefined;
}

/** The node the trigger leads to: the first one with no incoming edge (API.md). */
export function entryOf(doc: Pick<WorkflowDoc, "nodes" | "edges">): string | null {
  const incoming = new Set(doc.edges.map((edge) => edge.to));
  return doc.nodes.find((node) => !incoming.has(node.id))?.id ?? null;
}

/** Inserts a node of `type` at `at`; returns the new document and the node's id. */
export function insertNode(
  doc: WorkflowDoc,
  at: InsertPoint,
  type: NodeType,
): { doc: WorkflowDoc; id: string } {
  const id = nextNodeId(doc, type);
  const node = newNode(type, id, doc);
  const onward = branchesOf(node)[0];
  // Exit has no way onward: what stood after the place would be cut off, so it is not offered there.
  const keepsTo = at.to !== undefined && branchesOf(node).length > 0;
  const edges = doc.edges.filter(
    (edge) => !(at.from !== null && edge.from === at.from && edge.branch === at.branch && edge.to === at.to),
  );
  if (at.from !== null) edges.push(withBranch({ from: at.from, to: id }, at.branch));
  if (keepsTo && at.to !== undefined) edges.push(withBranch({ from: id, to: at.to }, onward));
  return { doc: { ...doc, nodes: [...doc.nodes, node], edges }, id };
}

/**
 * Removes a node. Its first child takes its place on every edge that led to it; steps that only
 * its other branches reached go with it (the author sees how many before confirming).
 */
export function deleteNode(doc: WorkflowDoc, id: string): WorkflowDoc {
  const child = firstChild(doc, id);
  const edges: WorkflowEdge[] = [];
  for (const edge of doc.edges) {
    if (edge.from === id) continue;
    if (edge.to !== id) edges.push(edge);
    else if (child !== undefined && child !== edge.from) edges.push({ ...edge, to: child });
  }
  const next = { ...doc, nodes: doc.nodes.filter((node) => node.id !== id), edges };
  return pruneCutOff(doc, next);
}

/** How many other steps `deleteNode` would take with it. */
export function deletedWith(doc: WorkflowDoc, id: string): number {
  return doc.nodes.length - 1 - deleteNode(doc, id).nodes.length;
}

/** Adds an empty branch to a split (weight 0 until the author sets one). */
export function addSplitBranch(doc: WorkflowDoc, id: string): WorkflowDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((node) =>
      node.id === id && node.type === "split" ? { ...node, weights: [...node.weights, 0] } : node,
    ),
  };
}

/** Removes branch `index` of a split, with the steps only it reached; later branches move up one. */
export function removeSplitBranch(doc: WorkflowDoc, id: string, index: number): WorkflowDoc {
  const nodes = doc.nodes.map((node) =>
    node.id === id && node.type === "split"
      ? { ...node, weights: node.weights.filter((_, at) => at !== index) }
      : node,
  );
  const edges = doc.edges.flatMap((edge): WorkflowEdge[] => {
    if (edge.from !== id) return [edge];
    const at = Number(edge.branch);
    if (at === index) return [];
    return [at > index ? { ...edge, branch: String(at - 1) } : edge];
  });
  return pruneCutOff(doc, { ...doc, nodes, edges });
}

/** The node the first of `id`'s branches (in drawing order) leads to. */
function firstChild(doc: WorkflowDoc, id: string): string | undefined {
  const node = doc.nodes.find((candidate) => candidate.id === id);
  if (!node) return undefined;
  const outs = doc.edges.filter((edge) => edge.from === id);
  for (const branch of branchesOf(node)) {
    const edge = outs.find((candidate) => candidate.branch === branch);
    if (edge) return edge.to;
  }
  return outs[0]?.to;
}

/** Drops the steps the trigger reached before the edit and no longer does (and their edges). */
function pruneCutOff(before: WorkflowDoc, after: WorkflowDoc): WorkflowDoc {
  const was = reachable(before);
  const is = reachable(after);
  const gone = new Set([...was].filter((id) => !is.has(id) && after.nodes.some((node) => node.id === id)));
  if (gone.size === 0) return after;
  return {
    ...after,
    nodes: after.nodes.filter((node) => !gone.has(node.id)),
    edges: after.edges.filter((edge) => !gone.has(edge.from) && !gone.has(edge.to)),
  };
}

/** Every node a path from the entry reaches. */
export function reachable(doc: Pick<WorkflowDoc, "nodes" | "edges">): Set<string> {
  const seen = new Set<string>();
  const entry = entryOf(doc);
  const stack = entry === null ? [] : [entry];
  const outs = new Map<string, string[]>();
  for (const edge of doc.edges) outs.set(edge.from, [...(outs.get(edge.from) ?? []), edge.to]);
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    stack.push(...(outs.get(id) ?? []));
  }
  return seen;
}

function withBranch(edge: { from: string; to: string }, branch: string | undefined): WorkflowEdge {
  return branch === undefined ? edge : { ...edge, branch };
}
