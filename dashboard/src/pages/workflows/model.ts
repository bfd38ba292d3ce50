/**
 * What the workflow editor holds (one document: the name and the definition, exactly as the API
 * takes them) and the facts about node types the canvas and panels share. Types come straight from
 * the contract (not through the API client), so this and the other pure modules load in Node tests.
 */
import { isEventGoal as isOneEvent } from "../../../../workers/contract/workflow-graph";
import type {
  CreateWorkflow,
  NodeOf,
  NodeType,
  Reentry,
  Workflow,
  WorkflowEdge,
  WorkflowGoal,
  WorkflowNode,
  WorkflowTrigger,
} from "../../../../workers/contract/workflows";

export interface WorkflowDoc {
  name: string;
  trigger: WorkflowTrigger;
  reentry: Reentry;
  goal: WorkflowGoal | null;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

export const NODE_TYPES: readonly { type: NodeType; label: string; hint: string }[] = [
  { type: "send", label: "Send email", hint: "Mail a campaign template" },
  { type: "wait", label: "Wait", hint: "A duration, a time of day or a date field" },
  { type: "wait_event", label: "Wait for event", hint: "Until an event arrives, or a timeout" },
  { type: "condition", label: "Condition", hint: "Yes/no on a segment rule or an earlier send" },
  { type: "split", label: "Random split", hint: "Share subscribers between branches by weight" },
  { type: "update", label: "Update subscriber", hint: "Set fields, add to or remove from lists" },
  { type: "webhook", label: "Webhook", hint: "POST a signed request to a URL" },
  { type: "exit", label: "Exit", hint: "End the workflow here" },
];

export const TYPE_LABELS = Object.fromEntries(NODE_TYPES.map(({ type, label }) => [type, label])) as Record<
  NodeType,
  string
>;

export const TRIGGER_LABELS: Record<WorkflowTrigger["type"], string> = {
  list_joined: "Joins a list",
  event: "Custom event",
  segment_entered: "Enters a segment",
  date_field: "Date field anniversary",
  campaign_activity: "Opens or clicks a campaign",
};

export const REENTRY_LABELS: Record<Reentry, string> = {
  once: "Only once, ever",
  after_exit: "Again, once their previous run ended",
  always: "Every time the trigger fires",
};

/** The names of a node's outgoing branches, in drawing order; `undefined` is one plain edge. */
export function branchesOf(node: WorkflowNode): (string | undefined)[] {
  switch (node.type) {
    case "condition":
      return ["yes", "no"];
    case "wait_event":
      return ["event", "timeout"];
    case "split":
      return node.weights.map((_, index) => String(index));
    case "exit":
      return [];
    default:
      return [undefined];
  }
}

/** The words on an edge leaving `node` by `branch`: "Yes", "Timed out", "30%". */
export function branchLabel(node: WorkflowNode, branch: string | undefined): string | undefined {
  if (branch === undefined) return undefined;
  if (node.type === "split") {
    const total = node.weights.reduce((sum, weight) => sum + weight, 0);
    const weight = node.weights[Number(branch)] ?? 0;
    return total > 0 ? `${Math.round((weight / total) * 100)}%` : "0%";
  }
  const words: Record<string, string> = { yes: "Yes", no: "No", event: "Event", timeout: "Timed out" };
  return words[branch] ?? branch;
}

/** The node's label, else its type's name. */
export function nodeTitle(node: WorkflowNode): string {
  return node.label?.trim() || TYPE_LABELS[node.type];
}

/** A fresh node of `type` with the settings it starts with (empty where the user must choose). */
export function newNode(type: NodeType, id: string, doc: WorkflowDoc): WorkflowNode {
  switch (type) {
    case "send":
      return { id, type, templateId: "" };
    case "wait":
      return { id, type, seconds: 86_400 };
    case "wait_event":
      return { id, type, event: "", timeoutSeconds: 86_400 };
    case "condition": {
      const send = doc.nodes.find((node) => node.type === "send");
      return { id, type, rule: send ? { sent: send.id, activity: "opened" } : { and: [] } };
    }
    case "split":
      return { id, type, weights: [50, 50] };
    case "update":
      return { id, type };
    case "webhook":
      return { id, type, url: "" };
    case "exit":
      return { id, type };
  }
}

/** An id not used in the workflow yet: "send-3". */
export function nextNodeId(doc: WorkflowDoc, type: NodeType): string {
  const taken = new Set(doc.nodes.map((node) => node.id));
  const stem = type.replace("_", "-");
  let n = doc.nodes.length + 1;
  while (taken.has(`${stem}-${n}`)) n++;
  return `${stem}-${n}`;
}

export function docOf(workflow: Workflow): WorkflowDoc {
  const { name, trigger, reentry, goal, nodes, edges } = workflow;
  return { name, trigger, reentry, goal, nodes, edges };
}

/** The document as POST/PATCH take it. */
export function toBody(doc: WorkflowDoc): CreateWorkflow {
  return {
    name: doc.name.trim(),
    trigger: doc.trigger,
    reentry: doc.reentry,
    goal: doc.goal,
    nodes: doc.nodes,
    edges: doc.edges,
  };
}

/** A send node (for the "opened/clicked send X" condition). */
export type SendNode = NodeOf<"send">;

export function sendNodes(doc: WorkflowDoc): SendNode[] {
  return doc.nodes.filter((node): node is SendNode => node.type === "send");
}

/** A stored draft comes from an older dashboard or a hand edit: keep only nodes and edges of the right shape. */
export function reviveDoc(doc: WorkflowDoc): WorkflowDoc {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null;
  return {
    ...doc,
    nodes: doc.nodes.filter(
      (node) => isObject(node) && typeof node.id === "string" && TYPE_LABELS[node.type] !== undefined,
    ),
    edges: doc.edges.filter(
      (edge) => isObject(edge) && typeof edge.from === "string" && typeof edge.to === "string",
    ),
  };
}

/** A goal of one event (`{"event": "order_placed"}`); anything else is a segment rule (which may hold an engagement `event`). */
export function isEventGoal(goal: WorkflowGoal | null): goal is { event: string } {
  return goal !== null && isOneEvent(goal);
}
