import type { NodeOf, WorkflowDefinition, WorkflowGoal } from "./workflows";

/**
 * What a workflow definition names outside itself (templates, lists, segments, fields,
 * campaigns) and the small readers of its union-typed parts, shared by the graph check, the
 * domain's validation and the engine.
 */

/** What a definition names outside itself, each id or key once, in order of first mention. */
export type WorkflowReferences = {
  templateIds: string[];
  listIds: string[];
  segmentIds: string[];
  fieldKeys: string[];
  campaignIds: string[];
};

/** The `{sent, activity}` form of a condition's rule: opened or clicked an earlier send of the run. */
export type SentRule = { sent: string; activity: "opened" | "clicked" };
/** `{{ trigger.properties.cartId }}`: the one template form a wait_event match value may take. */
const TRIGGER_REF = /^\{\{\s*trigger\.properties\.([A-Za-z0-9_-]+)\s*\}\}$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A goal of the form `{"event": "<name>"}` (the rest are segment rules), as zod tells them apart. */
export function isEventGoal(goal: WorkflowGoal): goal is { event: string } {
  return Object.keys(goal).length === 1 && typeof goal.event === "string";
}

/** A condition on an earlier send of the instance (the rest are segment rules). */
export function isSentRule(rule: NodeOf<"condition">["rule"]): rule is SentRule {
  return "sent" in rule;
}

/** The trigger property a wait_event match value reads, or null for a literal value. */
export function triggerPropertyRef(value: unknown): string | null {
  return typeof value === "string" ? (TRIGGER_REF.exec(value)?.[1] ?? null) : null;
}

/** Templates, lists, segments, fields and campaigns the definition names, for one read of each. */
export function referencesOf(def: WorkflowDefinition): WorkflowReferences {
  const sets = {
    templateIds: new Set<string>(),
    listIds: new Set<string>(),
    segmentIds: new Set<string>(),
    fieldKeys: new Set<string>(),
    campaignIds: new Set<string>(),
  };
  const t = def.trigger;
  if (t.type === "list_joined") sets.listIds.add(t.listId);
  if (t.type === "segment_entered") sets.segmentIds.add(t.segmentId);
  if (t.type === "date_field") sets.fieldKeys.add(t.field);
  if (t.type === "campaign_activity") sets.campaignIds.add(t.campaignId);
  if (def.goal && !isEventGoal(def.goal)) ruleReferences(def.goal, sets, 0);
  for (const n of def.nodes) {
    if (n.type === "send") sets.templateIds.add(n.templateId);
    if (n.type === "wait" && n.untilField !== undefined) sets.fieldKeys.add(n.untilField);
    if (n.type === "condition" && !isSentRule(n.rule)) ruleReferences(n.rule, sets, 0);
    if (n.type === "update") {
      for (const id of [...(n.addLists ?? []), ...(n.removeLists ?? [])]) sets.listIds.add(id);
      for (const key of Object.keys(n.set ?? {})) sets.fieldKeys.add(key);
    }
  }
  return {
    templateIds: [...sets.templateIds],
    listIds: [...sets.listIds],
    segmentIds: [...sets.segmentIds],
    fieldKeys: [...sets.fieldKeys],
    campaignIds: [...sets.campaignIds],
  };
}

/** Lists and fields named in a segment rule tree (its checks are the domain's `parseSegmentRules`). */
function ruleReferences(
  rule: unknown,
  sets: { listIds: Set<string>; fieldKeys: Set<string> },
  depth: number,
): void {
  // Deeper than any valid tree (10 levels): a malformed one is refused by the rule check anyway.
  if (!isRecord(rule) || depth > 20) return;
  if (typeof rule.list === "string") sets.listIds.add(rule.list);
  if (typeof rule.field === "string") sets.fieldKeys.add(rule.field);
  for (const group of [rule.and, rule.or]) {
    if (Array.isArray(group)) for (const child of group) ruleReferences(child, sets, depth + 1);
  }
  ruleReferences(rule.not, sets, depth + 1);
}
