/**
 * What is wrong with the document, placed where the author can fix it: on a node, on the trigger,
 * beside the name, or (for the workflow as a whole) in a banner. Three sources: the shape checks
 * here (what the API's schema would refuse with a 400), the shared graph validator
 * (`graphProblems`, the same one the API runs), and the server's 422 after a save or activation.
 */

import { graphProblems } from "../../../../workers/contract/workflow-graph";
import type { WorkflowNode, WorkflowTrigger } from "../../../../workers/contract/workflows";
import { ApiError } from "../../api/errors";
import { t } from "../../i18n";
import { isEventGoal, type WorkflowDoc } from "./model";

/** One problem as the validator and the API's 422 give it. */
export interface Problem {
  nodeId?: string | null | undefined;
  path?: unknown;
  message: string;
}

/** Problems by where they show: a node id, "trigger", "name", or "workflow" (the banner). */
export type Placed = Map<string, string[]>;

export interface Checked {
  /** Everything to fix before activating, placed. */
  placed: Placed;
  /** What a save would be refused for (its count); the rest only stops activation. */
  blocking: number;
}

const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the document: placed problems for display, and how many of them stop a save. */
export function checkDoc(doc: WorkflowDoc, incompleteRules: ReadonlySet<string>): Checked {
  const shape = shapeProblems(doc, incompleteRules);
  const forSave = graphProblems(doc, { forActivation: false });
  const forActivation = graphProblems(doc, { forActivation: true });
  return { placed: place([...shape, ...forActivation], doc), blocking: shape.length + forSave.length };
}

/** Puts each problem where it shows, once per place and message. */
export function place(problems: readonly Problem[], doc: WorkflowDoc): Placed {
  const ids = new Set(doc.nodes.map((node) => node.id));
  const placed: Placed = new Map();
  for (const problem of problems) {
    const where = whereOf(problem, ids);
    const list = placed.get(where) ?? [];
    // On its own card a node need not be named again: "Node "send-1": needs a template" -> "needs a template".
    const message =
      where === problem.nodeId ? problem.message.replace(/^Node "[^"]*": /, "") : problem.message;
    if (!list.includes(message)) placed.set(where, [...list, message]);
  }
  return placed;
}

function whereOf(problem: Problem, ids: ReadonlySet<string>): string {
  if (problem.nodeId && ids.has(problem.nodeId)) return problem.nodeId;
  const head = pathHead(problem.path);
  if (head === "trigger" || head === "goal" || head === "reentry") return "trigger";
  if (head === "name") return "name";
  return "workflow";
}

/** The first segment of a path given as an array or as "trigger.listId". */
function pathHead(path: unknown): string | undefined {
  if (Array.isArray(path)) return path.length > 0 ? String(path[0]) : undefined;
  if (typeof path === "string") return path.split(/[.[\]]/)[0] || undefined;
  return undefined;
}

/** The problems of a refused save or activation: a 422's list, or a 400's schema issues. */
export function serverProblems(error: unknown, sent: WorkflowDoc): Problem[] | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { code?: unknown; problems?: unknown } | undefined;
  if (error.status === 422 && Array.isArray(details?.problems)) {
    return details.problems.filter(
      (problem): problem is Problem => typeof (problem as Problem | null)?.message === "string",
    );
  }
  if (error.status === 400 && error.issues.length > 0) {
    return error.issues.map((issue) => {
      const [head, index] = issue.path;
      const node = head === "nodes" && typeof index === "number" ? sent.nodes[index] : undefined;
      return { nodeId: node?.id ?? null, path: issue.path, message: issue.message };
    });
  }
  return null;
}

/** What the API's schema would refuse, said the way the author fixes it. */
export function shapeProblems(doc: WorkflowDoc, incompleteRules: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  if (doc.name.trim() === "") problems.push({ path: ["name"], message: t("workflows.problems.name") });
  const trigger = triggerProblem(doc.trigger);
  if (trigger) problems.push({ path: ["trigger"], message: trigger });
  if (isEventGoal(doc.goal) && !EVENT_NAME.test(doc.goal.event))
    problems.push({ path: ["goal"], message: t("workflows.problems.goalEvent") });
  if (incompleteRules.has("goal"))
    problems.push({ path: ["goal"], message: t("workflows.problems.goalRule") });
  for (const node of doc.nodes) {
    const message = incompleteRules.has(node.id) ? t("workflows.problems.ruleConditions") : nodeProblem(node);
    if (message) problems.push({ nodeId: node.id, message });
  }
  return problems;
}

function triggerProblem(trigger: WorkflowTrigger): string | null {
  switch (trigger.type) {
    case "list_joined":
      return trigger.listId ? null : t("workflows.problems.triggerList");
    case "event":
      return EVENT_NAME.test(trigger.name) ? null : t("workflows.problems.triggerEvent");
    case "segment_entered":
      return trigger.segmentId ? null : t("workflows.problems.triggerSegment");
    case "date_field":
      return trigger.field ? null : t("workflows.problems.dateField");
    case "campaign_activity":
      return trigger.campaignId ? null : t("workflows.problems.triggerCampaign");
  }
}

function nodeProblem(node: WorkflowNode): string | null {
  switch (node.type) {
    case "send":
      if (!node.templateId) return t("workflows.problems.template");
      return node.fromEmail && !EMAIL.test(node.fromEmail) ? t("workflows.problems.fromEmail") : null;
    case "wait":
      // No way chosen at all is the graph check's ("say how long to wait").
      return node.untilField === "" ? t("workflows.problems.dateField") : null;
    case "wait_event":
      if (!EVENT_NAME.test(node.event)) return t("workflows.problems.waitEvent");
      return node.timeoutSeconds >= 1 ? null : t("workflows.problems.timeout");
    case "condition":
      return conditionProblem(node.rule);
    case "update":
      return updateProblem(node);
    case "split":
      // Weights are the graph check's (2 to 10, not all 0).
      return null;
    case "webhook":
      return /^https?:\/\/\S+$/.test(node.url) ? null : t("workflows.problems.webhookUrl");
    case "exit":
      return null;
  }
}

function conditionProblem(rule: Record<string, unknown>): string | null {
  if ("sent" in rule) return rule.sent ? null : t("workflows.problems.sendStep");
  const groups = ["and", "or"].map((key) => rule[key]).filter(Array.isArray);
  return groups.length > 0 && groups.every((children) => children.length === 0)
    ? t("workflows.problems.emptyRule")
    : null;
}

function updateProblem(node: Extract<WorkflowNode, { type: "update" }>): string | null {
  const set = Object.keys(node.set ?? {});
  const lists = [...(node.addLists ?? []), ...(node.removeLists ?? [])];
  if (set.length === 0 && lists.length === 0) return t("workflows.problems.updateNothing");
  if (set.some((key) => key === "")) return t("workflows.problems.updateField");
  return null;
}

/** A refused save or activation: its problems and the document that was sent. */
export interface Refused {
  problems: Problem[];
  doc: WorkflowDoc;
}

/**
 * The refused problems that still apply: none once the flow's edges changed; a node's until that
 * node is edited; the workflow's until the trigger, goal or name is.
 */
export function stillCurrent(refused: Refused | null, now: WorkflowDoc): Problem[] {
  if (!refused || refused.doc.edges !== now.edges) return [];
  const then = refused.doc;
  const was = new Map(then.nodes.map((node) => [node.id, node]));
  const same = then.trigger === now.trigger && then.goal === now.goal && then.name === now.name;
  return refused.problems.filter((problem) =>
    problem.nodeId && was.has(problem.nodeId)
      ? now.nodes.some((node) => node.id === problem.nodeId && node === was.get(problem.nodeId ?? ""))
      : same,
  );
}

/** Two sets of placed problems in one. */
export function merge(a: Placed, b: Placed): Placed {
  if (b.size === 0) return a;
  const out: Placed = new Map(a);
  for (const [where, list] of b) out.set(where, [...new Set([...(out.get(where) ?? []), ...list])]);
  return out;
}
