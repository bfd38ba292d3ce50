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
import { formatPercent } from "../../format";
import { t } from "../../i18n";

export interface WorkflowDoc {
  name: string;
  trigger: WorkflowTrigger;
  reentry: Reentry;
  goal: WorkflowGoal | null;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** The step types, in the order the insert menu offers them. */
export const NODE_TYPES: readonly NodeType[] = [
  "send",
  "wait",
  "wait_event",
  "condition",
  "split",
  "update",
  "webhook",
  "exit",
];

/** A step type's name ("Send email") in the current language. */
export function typeLabel(type: NodeType): string {
  return t(`workflows.nodeTypes.${type}.label`);
}

/** A step type's one-line description, for the insert menu. */
export function typeHint(type: NodeType): string {
  return t(`workflows.nodeTypes.${type}.hint`);
}

export const TRIGGER_TYPES: readonly WorkflowTrigger["type"][] = [
  "list_joined",
  "event",
  "segment_entered",
  "date_field",
  "campaign_activity",
];

export function triggerLabel(type: WorkflowTrigger["type"]): string {
  return t(`workflows.triggerTypes.${type}`);
}

export const REENTRIES: readonly Reentry[] = ["once", "after_exit", "always"];

export function reentryLabel(reentry: Reentry): string {
  return t(`workflows.reentry.${reentry}`);
}

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
    return formatPercent(total > 0 ? weight / total : 0, 0);
  }
  return ["yes", "no", "event", "timeout"].includes(branch) ? t(`workflows.branches.${branch}`) : branch;
}

/** The node's label, else its type's name. */
export function nodeTitle(node: WorkflowNode): string {
  return node.label?.trim() || typeLabel(node.type);
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
      (node) => isObject(node) && typeof node.id === "string" && NODE_TYPES.includes(node.type),
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
