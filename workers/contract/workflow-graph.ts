import { isSentRule, type SentRule, triggerPropertyRef } from "./workflow-references";
import type { NodeOf, WorkflowDefinition, WorkflowNode } from "./workflows";

export {
  isEventGoal,
  isSentRule,
  referencesOf,
  type SentRule,
  triggerPropertyRef,
  type WorkflowReferences,
} from "./workflow-references";

/**
 * The checks of a workflow definition that need no database: the graph (ids, arrows, the first
 * step, reachability, branches, loops without a wait) and each node's own settings. Pure, so the
 * API (422 on save and activate, through `domain/workflows/validate.ts`) and the dashboard editor
 * (problems shown live on the nodes) give the same answer.
 */

/** One problem: the node it belongs to (null for the trigger, the goal or the whole workflow). */
export type WorkflowProblem = { nodeId: string | null; path: string; message: string };

type EdgeAt = { to: string; branch: string | null; j: number };

/** The shape of a workflow once ids are resolved: arrows by node, both ends known. */
interface Graph {
  nodes: WorkflowNode[];
  /** Node id -> index of its first occurrence (a repeated id is a problem of its own). */
  index: Map<string, number>;
  /** Node index -> outgoing arrows whose `from` is a node (the `to` may not be). */
  out: EdgeAt[][];
  /** Node index -> indices of the nodes its arrows reach (both ends known). */
  next: number[][];
  hasIncoming: boolean[];
}

const WAITS: ReadonlySet<WorkflowNode["type"]> = new Set(["wait", "wait_event"]);
const TYPE_NAMES: Record<WorkflowNode["type"], string> = {
  send: "a send step",
  wait: "a wait step",
  wait_event: "a wait-for-event step",
  condition: "a condition",
  split: "a split",
  update: "an update step",
  webhook: "a webhook step",
  exit: "an exit",
};
/** How long a loop's path is drawn in a message before it is cut. */
const MAX_LOOP_SHOWN = 6;

const node = (id: string) => `Node "${id}"`;
const quoteList = (items: string[]) => items.map((s) => `"${s}"`).join(", ");
/** `match.cartId`, or `match["cart id"]` for a key that is not a plain name. */
const keyPath = (base: string, key: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

/**
 * The branch labels a node's arrows carry: every one is required, once. Null for a node that
 * takes at most one unlabelled arrow; an exit takes none.
 */
export function branchesOf(n: WorkflowNode): string[] | null {
  switch (n.type) {
    case "condition":
      return ["yes", "no"];
    case "wait_event":
      return ["event", "timeout"];
    case "split":
      return Array.isArray(n.weights) ? n.weights.map((_, i) => String(i)) : [];
    case "exit":
      return [];
    default:
      return null;
  }
}

/** Every problem of the definition that can be found without the database. */
export function graphProblems(def: WorkflowDefinition, opts: { forActivation: boolean }): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const graph = buildGraph(def, problems);
  if (def.nodes.length === 0 && opts.forActivation)
    problems.push({ nodeId: null, path: "nodes", message: "The workflow needs at least one step" });
  const entries = entryProblems(graph, problems);
  if (entries.length > 0) unreachableProblems(graph, entries, problems);
  for (const [id, i] of graph.index) branchProblems(graph, id, i, problems);
  cycleProblems(graph, problems);
  def.nodes.forEach((n, i) => {
    nodeSettingProblems(def, graph, n, i, problems);
  });
  return problems;
}

/** Indexes the nodes and arrows, naming repeated ids and arrows to or from no node. */
function buildGraph(def: WorkflowDefinition, problems: WorkflowProblem[]): Graph {
  const index = new Map<string, number>();
  def.nodes.forEach((n, i) => {
    if (index.has(n.id))
      problems.push({
        nodeId: n.id,
        path: `nodes[${i}].id`,
        message: `${node(n.id)}: another step has the same id; give each step its own`,
      });
    else index.set(n.id, i);
  });
  const out: EdgeAt[][] = def.nodes.map(() => []);
  const next: number[][] = def.nodes.map(() => []);
  const hasIncoming = def.nodes.map(() => false);
  def.edges.forEach((e, j) => {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined)
      problems.push({
        nodeId: to === undefined ? null : e.to,
        path: `edges[${j}].from`,
        message: `An arrow starts at "${e.from}", which is not a step of this workflow`,
      });
    if (to === undefined)
      problems.push({
        nodeId: from === undefined ? null : e.from,
        path: `edges[${j}].to`,
        message: `${node(e.from)}: an arrow leads to "${e.to}", which is not a step of this workflow`,
      });
    // The schema lets a label be "", which names no branch: it counts as none.
    if (from !== undefined) out[from]?.push({ to: e.to, branch: e.branch ? e.branch : null, j });
    if (from !== undefined && to !== undefined) {
      next[from]?.push(to);
      hasIncoming[to] = true;
    }
  });
  return { nodes: def.nodes, index, out, next, hasIncoming };
}

/**
 * The first step is the one no arrow leads to: there must be exactly one. Returns the steps
 * without an incoming arrow; reachability is measured from them all, so a step left
 * unconnected is named once (here) rather than with everything below it.
 */
function entryProblems(graph: Graph, problems: WorkflowProblem[]): number[] {
  const entries = [...graph.index.values()].filter((i) => !graph.hasIncoming[i]);
  if (graph.index.size > 0 && entries.length === 0)
    problems.push({
      nodeId: null,
      path: "edges",
      message: "Every step has an arrow leading into it, so the workflow has no first step",
    });
  const [first, ...others] = entries.map((i) => graph.nodes[i]?.id ?? "");
  for (const id of others)
    problems.push({
      nodeId: id,
      path: `nodes[${graph.index.get(id)}]`,
      message: `${node(id)}: nothing leads to this step; connect it below another (only the first step, "${first}", starts on its own)`,
    });
  return entries;
}

/** Indices reachable from `starts` along the arrows, the starts included. */
function reach(graph: Graph, starts: number[]): boolean[] {
  const seen = graph.nodes.map(() => false);
  const stack = [...starts];
  for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
    if (seen[i]) continue;
    seen[i] = true;
    for (const k of graph.next[i] ?? []) if (!seen[k]) stack.push(k);
  }
  return seen;
}

function unreachableProblems(graph: Graph, entries: number[], problems: WorkflowProblem[]): void {
  const seen = reach(graph, entries);
  for (const [id, i] of graph.index)
    if (!seen[i])
      problems.push({
        nodeId: id,
        path: `nodes[${i}]`,
        message: `${node(id)}: no path from the first step leads to this step`,
      });
}

/** Each node's arrows against the branches its type takes (see `branchesOf`). */
function branchProblems(graph: Graph, id: string, i: number, problems: WorkflowProblem[]): void {
  const n = graph.nodes[i];
  const out = graph.out[i] ?? [];
  if (!n) return;
  const what = TYPE_NAMES[n.type];
  const push = (path: string, message: string) => problems.push({ nodeId: id, path, message });
  const labels = branchesOf(n);
  if (labels === null) {
    for (const e of out) {
      if (e.branch !== null)
        push(
          `edges[${e.j}].branch`,
          `${node(id)}: an arrow from ${what} takes no branch label ("${e.branch}")`,
        );
    }
    for (const e of out.slice(1))
      push(
        `edges[${e.j}]`,
        `${node(id)}: only one arrow can leave ${what}; use a condition or a split to branch`,
      );
    return;
  }
  if (n.type === "exit") {
    for (const e of out) push(`edges[${e.j}]`, `${node(id)}: nothing can follow an exit; remove the arrow`);
    return;
  }
  const seen = new Set<string>();
  for (const e of out) {
    if (e.branch === null)
      push(`edges[${e.j}]`, `${node(id)}: every arrow from ${what} needs a branch (${quoteList(labels)})`);
    else if (!labels.includes(e.branch))
      push(
        `edges[${e.j}].branch`,
        `${node(id)}: "${e.branch}" is not a branch of ${what} (use ${quoteList(labels)})`,
      );
    else if (seen.has(e.branch))
      push(`edges[${e.j}].branch`, `${node(id)}: two arrows leave by the "${e.branch}" branch; keep one`);
    seen.add(e.branch ?? "");
  }
  for (const label of labels)
    if (!seen.has(label))
      push(
        `nodes[${i}]`,
        `${node(id)}: ${what} needs a "${label}" branch${n.type === "split" ? " (one per weight)" : ""}`,
      );
}

/**
 * A loop is fine only with a wait (or a wait for an event) on it; otherwise a subscriber would
 * go round at once, forever. Such a loop exists exactly when the graph without the wait steps
 * still has a cycle, so the strongly connected parts of that graph are found (Tarjan, written
 * with an explicit stack: a long chain must not exhaust the call stack) and one loop named in each.
 */
function cycleProblems(graph: Graph, problems: WorkflowProblem[]): void {
  const keep = graph.nodes.map((n, i) => graph.index.get(n.id) === i && !WAITS.has(n.type));
  const next = graph.next.map((ks, i) => (keep[i] ? ks.filter((k) => keep[k]) : []));
  for (const part of stronglyConnected(next, keep)) {
    const start = Math.min(...part);
    const looped = part.length > 1 || next[start]?.includes(start);
    if (!looped) continue;
    const id = graph.nodes[start]?.id ?? "";
    const loop = loopThrough(next, new Set(part), start).map((k) => graph.nodes[k]?.id ?? "");
    const shown = loop.length > MAX_LOOP_SHOWN ? [...loop.slice(0, MAX_LOOP_SHOWN), "…"] : [...loop, id];
    problems.push({
      nodeId: id,
      path: `nodes[${start}]`,
      message: `${node(id)}: the loop ${shown.map((s) => (s === "…" ? s : `"${s}"`)).join(" → ")} has no wait in it; add a wait step to the loop`,
    });
  }
}

/** Strongly connected components of the kept nodes (Tarjan), each as a list of node indices. */
function stronglyConnected(next: number[][], keep: boolean[]): number[][] {
  const order: number[] = next.map(() => -1);
  const low: number[] = next.map(() => 0);
  const onStack = next.map(() => false);
  const stack: number[] = [];
  const parts: number[][] = [];
  let counter = 0;
  for (let root = 0; root < next.length; root++) {
    if (!keep[root] || (order[root] ?? -1) >= 0) continue;
    const work: { v: number; edge: number }[] = [{ v: root, edge: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const top = work[work.length - 1] as { v: number; edge: number };
      const w = next[top.v]?.[top.edge++];
      if (w !== undefined) {
        if ((order[w] ?? -1) < 0) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ v: w, edge: 0 });
        } else if (onStack[w]) low[top.v] = Math.min(low[top.v] ?? 0, order[w] ?? 0);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] ?? 0, low[top.v] ?? 0);
      if (low[top.v] !== order[top.v]) continue;
      const part: number[] = [];
      for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
        onStack[k] = false;
        part.push(k);
        if (k === top.v) break;
      }
      parts.push(part);
    }
  }
  return parts;
}

/** A shortest loop from `start` back to itself inside one strongly connected part. */
function loopThrough(next: number[][], part: Set<number>, start: number): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    for (const w of next[v] ?? []) {
      if (w === start) {
        const path = [v];
        for (let p = parent.get(v); p !== undefined; p = parent.get(p)) path.push(p);
        return path.reverse();
      }
      if (part.has(w) && !parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** A node's own settings, by type. */
function nodeSettingProblems(
  def: WorkflowDefinition,
  graph: Graph,
  n: WorkflowNode,
  i: number,
  problems: WorkflowProblem[],
): void {
  const push = (path: string, message: string) =>
    problems.push({ nodeId: n.id, path: `nodes[${i}]${path}`, message: `${node(n.id)}: ${message}` });
  if (n.type === "wait") waitProblems(n, push);
  else if (n.type === "wait_event") matchProblems(n, def.trigger.type === "event", push);
  else if (n.type === "split") splitProblems(n, push);
  else if (n.type === "condition" && isSentRule(n.rule)) sentRuleProblems(graph, n.rule, i, push);
}

type Push = (path: string, message: string) => void;

function waitProblems(n: NodeOf<"wait">, push: Push): void {
  const ways = [n.seconds, n.until, n.untilField].filter((v) => v !== undefined).length;
  if (ways === 0) push("", "say how long to wait: a duration, a time of day, or a date field");
  if (ways > 1) push("", "choose one way to wait: a duration, a time of day or a date field, not several");
  if (n.offsetDays !== undefined && n.untilField === undefined)
    push(".offsetDays", "a day offset only applies when waiting for a date field");
  const zone = n.until?.timezone;
  if (zone !== undefined && !isPlausibleTimeZone(zone))
    push(".until.timezone", `"${zone}" is not a time zone; use "subscriber" or a name like "Europe/Berlin"`);
}

function matchProblems(n: NodeOf<"wait_event">, fromEvent: boolean, push: Push): void {
  for (const [key, value] of Object.entries(n.match ?? {})) {
    if (typeof value !== "string" || !value.includes("{{")) continue;
    const ref = triggerPropertyRef(value);
    if (ref === null)
      push(
        keyPath(".match", key),
        `the value for "${key}" must be plain text or exactly {{ trigger.properties.<name> }}`,
      );
    else if (!fromEvent)
      push(
        keyPath(".match", key),
        `"${key}" reads the trigger event's "${ref}", but this workflow does not start from an event`,
      );
  }
}

function splitProblems(n: NodeOf<"split">, push: Push): void {
  const weights = Array.isArray(n.weights) ? n.weights : [];
  if (weights.length < 2 || weights.length > 10) push(".weights", "a split needs 2 to 10 weights");
  if (weights.reduce((sum, w) => sum + (typeof w === "number" && w > 0 ? w : 0), 0) <= 0)
    push(".weights", "the weights add up to 0; give at least one branch a weight");
}

/** The send a condition asks about must come before it on some path. */
function sentRuleProblems(graph: Graph, rule: SentRule, i: number, push: Push): void {
  if (rule.activity !== "opened" && rule.activity !== "clicked")
    push(".rule.activity", 'choose "opened" or "clicked"');
  const s = graph.index.get(rule.sent);
  const sent = s === undefined ? undefined : graph.nodes[s];
  const about = `it asks about "${rule.sent}"`;
  if (s === undefined || !sent) push(".rule.sent", `${about}, which is not a step of this workflow`);
  else if (sent.type !== "send") push(".rule.sent", `${about}, which is not a send step`);
  else if (!reach(graph, graph.next[s] ?? [])[i])
    push(".rule.sent", `${about}, but that send never comes before this step`);
}

let zones: Set<string> | null | undefined;

/**
 * "subscriber", "UTC", a zone the runtime lists, or an Area/Location name it can format in:
 * runtimes list different spellings (V8 "Asia/Calcutta", Firefox "Asia/Kolkata"), so a zone picked
 * in one browser is not refused by the server. A runtime without the list is asked directly.
 */
export function isPlausibleTimeZone(zone: string): boolean {
  if (zone === "subscriber" || zone === "UTC") return true;
  if (zones === undefined)
    zones = typeof Intl.supportedValuesOf === "function" ? new Set(Intl.supportedValuesOf("timeZone")) : null;
  if (zones?.has(zone)) return true;
  if (!/^[A-Z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
