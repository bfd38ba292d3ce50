/**
 * The builder's editable tree and its translation to and from the API's rule JSON. Every node has
 * a stable id (for keys and error placement) and its own `not` flag; the API writes `not` as a
 * wrapping node instead.
 */
import type { FieldDef, FieldOp, FieldType, Rule, SubscriberStatus } from "../../api/segments-imports";
import { t } from "../../i18n";

export type Condition =
  | { type: "field"; field: string; op: FieldOp; value: string }
  | { type: "list"; list: string }
  | { type: "status"; status: SubscriberStatus }
  | { type: "signup"; days: string }
  | {
      type: "engagement";
      event: "opened" | "clicked" | "never";
      /** "any" or a campaign id. */
      campaign: string;
      withinDays: string;
    };

export type ConditionType = Condition["type"];

export interface GroupNode {
  kind: "group";
  id: string;
  op: "and" | "or";
  not: boolean;
  children: BuilderNode[];
}
export interface ConditionNode {
  kind: "condition";
  id: string;
  not: boolean;
  condition: Condition;
}
export type BuilderNode = GroupNode | ConditionNode;

export const STATUSES: readonly SubscriberStatus[] = [
  "active",
  "unsubscribed",
  "bounced",
  "complained",
  "blocklisted",
];

export const CONDITION_TYPES: readonly ConditionType[] = ["field", "list", "status", "signup", "engagement"];

/** A condition type's name in the current language. */
export function conditionTypeLabel(type: ConditionType): string {
  return t(`segments.conditionTypes.${type}`);
}

export const OPS_BY_TYPE: Record<FieldType, readonly FieldOp[]> = {
  text: ["eq", "neq", "contains", "startsWith", "isSet"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "isSet"],
  date: ["before", "after", "withinDays", "isSet"],
  boolean: ["eq", "isSet"],
  select: ["eq", "neq", "isSet"],
};

/** An operator's words in the current language ("is", "starts with"). */
export function opLabel(op: FieldOp): string {
  return t(`segments.ops.${op}`);
}

/** A subscriber status's name in the current language. */
export function statusLabel(status: string): string {
  return t(`segments.statuses.${status}`, { defaultValue: status });
}

let counter = 0;
const nextId = () => `n${++counter}`;

export function newGroup(op: "and" | "or" = "and", children: BuilderNode[] = []): GroupNode {
  return { kind: "group", id: nextId(), op, not: false, children };
}

export function newCondition(type: ConditionType, fields: readonly FieldDef[]): ConditionNode {
  return { kind: "condition", id: nextId(), not: false, condition: blankCondition(type, fields) };
}

export function blankCondition(type: ConditionType, fields: readonly FieldDef[]): Condition {
  switch (type) {
    case "field": {
      const first = fields[0];
      return { type, field: first?.key ?? "", op: first ? defaultOp(first.type) : "eq", value: "" };
    }
    case "list":
      return { type, list: "" };
    case "status":
      return { type, status: "active" };
    case "signup":
      return { type, days: "30" };
    case "engagement":
      return { type, event: "opened", campaign: "any", withinDays: "30" };
  }
}

export function defaultOp(type: FieldType): FieldOp {
  return OPS_BY_TYPE[type][0] ?? "isSet";
}

// ---- Tree edits (immutable) -------------------------------------------------------------------

/** A copy of the tree with the node `id` replaced by `change(node)`, or removed when it returns null. */
export function edit(
  root: GroupNode,
  id: string,
  change: (node: BuilderNode) => BuilderNode | null,
): GroupNode {
  const walk = (node: BuilderNode): BuilderNode | null => {
    if (node.id === id) return change(node);
    if (node.kind === "condition") return node;
    const children = node.children.map(walk).filter((child): child is BuilderNode => child !== null);
    return { ...node, children };
  };
  const result = walk(root);
  // The root is never removed; a change that turns it into a condition is ignored.
  return result && result.kind === "group" ? result : root;
}

// ---- To and from the API's JSON -----------------------------------------------------------------

/** One incomplete condition: the node's id and what is missing (a catalogue key; show it with `t`). */
export interface Problem {
  id: string;
  messageKey: string;
}

export interface Compiled {
  rule: Rule;
  /** The JSON path of every node in `rule` (including its `not` wrapper), by node id. */
  paths: Map<string, (string | number)[]>;
  problems: Problem[];
}

/** Builder tree -> rule JSON, with the path of each node (to place server errors) and local problems. */
export function compile(root: GroupNode, fields: readonly FieldDef[]): Compiled {
  const paths = new Map<string, (string | number)[]>();
  const problems: Problem[] = [];
  const byKey = new Map(fields.map((field) => [field.key, field]));

  const walk = (node: BuilderNode, path: (string | number)[]): Rule => {
    paths.set(node.id, path);
    const inner = node.not ? [...path, "not"] : path;
    let rule: Rule;
    if (node.kind === "group") {
      const children = node.children.map((child, index) => walk(child, [...inner, node.op, index]));
      if (children.length === 0 && node !== root)
        problems.push({ id: node.id, messageKey: "segments.problems.emptyGroup" });
      rule = node.op === "and" ? { and: children } : { or: children };
    } else {
      const built = conditionRule(node.condition, byKey);
      if (typeof built === "string") problems.push({ id: node.id, messageKey: built });
      rule = typeof built === "string" ? placeholder(node.condition) : built;
    }
    return node.not ? { not: rule } : rule;
  };

  const rule = walk(root, []);
  return { rule, paths, problems };
}

/** The rule for one condition, or the key of what is still missing. */
function conditionRule(condition: Condition, fields: Map<string, FieldDef>): Rule | string {
  switch (condition.type) {
    case "field": {
      const def = fields.get(condition.field);
      if (!def) return "segments.problems.chooseField";
      if (condition.op === "isSet") return { field: def.key, op: "isSet" };
      const raw = condition.value.trim();
      if (raw === "") return "segments.problems.enterValue";
      if (condition.op === "withinDays") {
        const days = wholeNumber(raw);
        return days === null
          ? "segments.problems.wholeDays"
          : { field: def.key, op: "withinDays", value: days };
      }
      if (def.type === "number") {
        const value = Number(raw);
        return Number.isFinite(value)
          ? { field: def.key, op: condition.op, value }
          : "segments.problems.enterNumber";
      }
      if (def.type === "boolean") return { field: def.key, op: condition.op, value: raw === "true" };
      return { field: def.key, op: condition.op, value: raw };
    }
    case "list":
      return condition.list ? { list: condition.list } : "segments.problems.chooseList";
    case "status":
      return { status: condition.status };
    case "signup": {
      const days = wholeNumber(condition.days);
      return days === null ? "segments.problems.wholeDays" : { createdWithinDays: days };
    }
    case "engagement": {
      const campaignId = condition.campaign.trim();
      if (!campaignId) return "segments.problems.campaignId";
      if (condition.event === "never") return { event: "opened", campaignId, never: true };
      if (condition.withinDays.trim() === "") return { event: condition.event, campaignId };
      const days = wholeNumber(condition.withinDays);
      return days === null
        ? "segments.problems.wholeDaysOrAny"
        : { event: condition.event, campaignId, withinDays: days };
    }
  }
}

/** Stand-in for an incomplete condition so the rule keeps its shape (it is never sent). */
function placeholder(condition: Condition): Rule {
  return { status: condition.type === "status" ? condition.status : "active" };
}

function wholeNumber(raw: string): number | null {
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Rule JSON (a saved segment) -> builder tree; the root is always a group. */
export function decompile(rule: Rule): GroupNode {
  const node = toNode(rule, false);
  return node.kind === "group" ? node : newGroup("and", [node]);
}

function toNode(rule: Rule, not: boolean): BuilderNode {
  if ("not" in rule) return toNode(rule.not, !not);
  if ("and" in rule || "or" in rule) {
    const op = "and" in rule ? "and" : "or";
    const children = "and" in rule ? rule.and : rule.or;
    return {
      ...newGroup(
        op,
        children.map((child) => toNode(child, false)),
      ),
      not,
    };
  }
  return { kind: "condition", id: nextId(), not, condition: toCondition(rule) };
}

function toCondition(rule: Rule): Condition {
  if ("field" in rule) {
    return {
      type: "field",
      field: rule.field,
      op: rule.op,
      value: rule.value === undefined ? "" : String(rule.value),
    };
  }
  if ("list" in rule) return { type: "list", list: rule.list };
  if ("status" in rule) return { type: "status", status: rule.status };
  if ("createdWithinDays" in rule) return { type: "signup", days: String(rule.createdWithinDays) };
  if ("event" in rule) {
    return {
      type: "engagement",
      event: rule.never ? "never" : rule.event,
      campaign: rule.campaignId,
      withinDays: rule.withinDays === undefined ? "" : String(rule.withinDays),
    };
  }
  // Group and `not` nodes are handled by the caller.
  return { type: "status", status: "active" };
}

/** Whether the tree holds at least one condition (an empty root matches nothing worth previewing). */
export function hasConditions(node: BuilderNode): boolean {
  return node.kind === "condition" || node.children.some(hasConditions);
}

/**
 * Server issues placed on the nodes they name: each issue goes to the deepest node whose path is a
 * prefix of the issue's path (ignoring a leading "rules"); issues that fit no node go to the root.
 */
export function placeIssues(
  issues: readonly { path: (string | number)[]; message: string }[],
  paths: Map<string, (string | number)[]>,
  rootId: string,
): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  for (const issue of issues) {
    const path = issue.path[0] === "rules" ? issue.path.slice(1) : issue.path;
    let best = rootId;
    let bestLength = -1;
    for (const [id, nodePath] of paths) {
      if (nodePath.length > bestLength && isPrefix(nodePath, path)) {
        best = id;
        bestLength = nodePath.length;
      }
    }
    placed.set(best, [...(placed.get(best) ?? []), issue.message]);
  }
  return placed;
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => String(part) === String(path[index]));
}
