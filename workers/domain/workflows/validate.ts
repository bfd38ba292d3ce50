import { and, eq, inArray, isNull } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { lists } from "../../../schema/lists";
import { segments } from "../../../schema/segments";
import { templates, templateVersions } from "../../../schema/templates";
import {
  graphProblems,
  isEventGoal,
  isSentRule,
  referencesOf,
  type WorkflowProblem,
  type WorkflowReferences,
} from "../../contract/workflow-graph";
import type { NodeOf, WorkflowDefinition, WorkflowNode, WorkflowTrigger } from "../../contract/workflows";
import type { Database } from "../../lib/db";
import { RuleError } from "../../lib/errors";
import { requiresUnsubscribe } from "../../mail/template/template";
import { checkFieldValue, type FieldDef, loadFieldDefs } from "../audience/field-values";
import { formatPath, parseSegmentRules } from "../audience/segments/rules";

/**
 * A workflow definition checked against the database, on save and on activation: first the
 * graph (`graphProblems`, the same check the editor runs as you type), then everything it names:
 * templates (live, with an unsubscribe link), lists (open, where subscribers are added),
 * segments, campaigns, fields (of the right type) and segment rules (`parseSegmentRules`).
 * Every problem names its node; the lookups are one read per kind, however many nodes there are.
 */

/** What the definition names that exists, keyed by lower-cased id (uuids compare without case). */
interface Known {
  templates: Map<string, { name: string; hasUnsubscribeLink: boolean }>;
  lists: Map<string, { name: string; archived: boolean }>;
  segments: Set<string>;
  campaigns: Set<string>;
  fields: Map<string, FieldDef>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids worth asking the database about: a malformed one would make Postgres throw, and is unknown anyway. */
const uuids = (ids: string[]) => [
  ...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase())),
];
const nodeName = (id: string) => `Node "${id}"`;

/** Every problem of the definition, graph and references; empty when it may be saved (or activated). */
export async function validateWorkflow(
  db: Database,
  def: WorkflowDefinition,
  opts: { forActivation: boolean },
): Promise<WorkflowProblem[]> {
  const problems = graphProblems(def, opts);
  const known = await loadKnown(db, referencesOf(def));
  problems.push(...triggerProblems(def.trigger, known));
  if (def.goal && !isEventGoal(def.goal)) problems.push(...ruleProblems(def.goal, ["goal"], null, known));
  def.nodes.forEach((n, i) => {
    problems.push(...nodeProblems(n, i, known));
  });
  return problems;
}

/**
 * Throws the 422 of an invalid workflow: the first problem's message (and how many more), with
 * every problem in the details, `{code: "invalid_workflow", problems}`, for the editor to place.
 */
export async function assertValidWorkflow(
  db: Database,
  def: WorkflowDefinition,
  opts: { forActivation: boolean },
): Promise<void> {
  const [first, ...rest] = await validateWorkflow(db, def, opts);
  if (!first) return;
  const problems = [first, ...rest];
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  throw RuleError(`${first.message}${more}`, { code: "invalid_workflow", problems });
}

/** One read per kind of reference; fields are read whole (segment rules need every definition). */
async function loadKnown(db: Database, refs: WorkflowReferences): Promise<Known> {
  const listIds = uuids(refs.listIds);
  const segmentIds = uuids(refs.segmentIds);
  const campaignIds = uuids(refs.campaignIds);
  const [templateRows, listRows, segmentRows, campaignRows, fields] = await Promise.all([
    liveTemplates(db, uuids(refs.templateIds)),
    listIds.length === 0
      ? []
      : db
          .select({ id: lists.id, name: lists.name, archivedAt: lists.archivedAt })
          .from(lists)
          .where(inArray(lists.id, listIds)),
    segmentIds.length === 0
      ? []
      : db.select({ id: segments.id }).from(segments).where(inArray(segments.id, segmentIds)),
    campaignIds.length === 0
      ? []
      : db.select({ id: campaigns.id }).from(campaigns).where(inArray(campaigns.id, campaignIds)),
    loadFieldDefs(db),
  ]);
  return {
    templates: new Map(templateRows.map((t) => [t.id, t])),
    lists: new Map(listRows.map((l) => [l.id, { name: l.name, archived: l.archivedAt !== null }])),
    segments: new Set(segmentRows.map((s) => s.id)),
    campaigns: new Set(campaignRows.map((c) => c.id)),
    fields,
  };
}

/** Templates not deleted, with whether their current version carries the unsubscribe link. */
async function liveTemplates(db: Database, wanted: string[]) {
  if (wanted.length === 0) return [];
  const rows = await db
    .select({
      id: templates.id,
      name: templates.name,
      subject: templateVersions.subject,
      html: templateVersions.html,
      text: templateVersions.text,
    })
    .from(templates)
    .innerJoin(
      templateVersions,
      and(
        eq(templateVersions.templateId, templates.id),
        eq(templateVersions.version, templates.currentVersion),
      ),
    )
    .where(and(inArray(templates.id, wanted), isNull(templates.deletedAt)));
  // The check campaign templates are saved with (`assertValidContent`); a transactional template may lack it.
  return rows.map((r) => ({ id: r.id, name: r.name, hasUnsubscribeLink: requiresUnsubscribe(r) }));
}

function triggerProblems(t: WorkflowTrigger, known: Known): WorkflowProblem[] {
  const problem = (field: string, message: string): WorkflowProblem[] => [
    { nodeId: null, path: `trigger.${field}`, message: `The trigger's ${message}` },
  ];
  switch (t.type) {
    case "list_joined":
      return known.lists.has(t.listId.toLowerCase())
        ? []
        : problem("listId", `list does not exist (${t.listId})`);
    case "segment_entered":
      return known.segments.has(t.segmentId.toLowerCase())
        ? []
        : problem("segmentId", `segment does not exist (${t.segmentId})`);
    case "campaign_activity":
      return known.campaigns.has(t.campaignId.toLowerCase())
        ? []
        : problem("campaignId", `campaign does not exist (${t.campaignId})`);
    case "date_field": {
      const wrong = dateFieldProblem(known.fields.get(t.field), t.field);
      return wrong ? problem("field", wrong) : [];
    }
    default:
      return [];
  }
}

/** Why `key` cannot be waited for or triggered on as a date, or null when it can. */
function dateFieldProblem(def: FieldDef | undefined, key: string): string | null {
  if (!def) return `field "${key}" does not exist`;
  if (def.type !== "date") return `field "${key}" is a ${def.type} field, not a date`;
  return null;
}

function nodeProblems(n: WorkflowNode, i: number, known: Known): WorkflowProblem[] {
  const out: WorkflowProblem[] = [];
  const push = (path: string, message: string) =>
    out.push({ nodeId: n.id, path: `nodes[${i}]${path}`, message: `${nodeName(n.id)}: ${message}` });
  if (n.type === "send") templateProblem(n, known, push);
  else if (n.type === "update") updateProblems(n, known, push);
  else if (n.type === "wait" && n.untilField !== undefined) {
    const wrong = dateFieldProblem(known.fields.get(n.untilField), n.untilField);
    if (wrong) push(".untilField", `it waits for a date, but the ${wrong}`);
  } else if (n.type === "condition" && !isSentRule(n.rule))
    out.push(...ruleProblems(n.rule, ["nodes", i, "rule"], n.id, known));
  return out;
}

type Push = (path: string, message: string) => void;

function templateProblem(n: NodeOf<"send">, known: Known, push: Push): void {
  const t = known.templates.get(n.templateId.toLowerCase());
  if (!t) push(".templateId", `its template does not exist or was deleted (${n.templateId})`);
  else if (!t.hasUnsubscribeLink)
    push(".templateId", `its template "${t.name}" has no unsubscribe link; add {{ unsubscribe_url }} to it`);
}

/** Lists must exist (and be open, to be added to); set values must suit their field. */
function updateProblems(n: NodeOf<"update">, known: Known, push: Push): void {
  const listProblem = (id: string, adding: boolean): string | null => {
    const list = known.lists.get(id.toLowerCase());
    if (!list)
      return `it ${adding ? "adds subscribers to" : "removes subscribers from"} a list that does not exist (${id})`;
    if (adding && list.archived) return `the list "${list.name}" is archived and takes no new members`;
    return null;
  };
  for (const [key, adding] of [
    ["addLists", true],
    ["removeLists", false],
  ] as const) {
    (n[key] ?? []).forEach((id, k) => {
      const wrong = listProblem(id, adding);
      if (wrong) push(`.${key}[${k}]`, wrong);
    });
  }
  for (const [key, value] of Object.entries(n.set ?? {})) {
    const def = known.fields.get(key);
    const at = `.set${/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
    if (!def) {
      push(at, `it sets the field "${key}", which does not exist`);
      continue;
    }
    const checked = checkFieldValue(def, value);
    if (!checked.ok) push(at, `the value for "${key}" ${checked.reason.replace(`${key}: `, "")}`);
  }
}

/**
 * A segment rule of a condition or the goal, by the segments' own check; its problems keep the
 * exact path of the rule's node (`nodes[3].rule.and[0].value`). Lists named are checked here.
 */
function ruleProblems(
  rule: unknown,
  root: (string | number)[],
  nodeId: string | null,
  known: Known,
): WorkflowProblem[] {
  const parsed = parseSegmentRules(rule, known.fields, root);
  const whose = nodeId === null ? "The goal" : nodeName(nodeId);
  const problem = (path: (string | number)[], detail: string): WorkflowProblem => {
    const inner = formatPath(path.slice(root.length));
    return {
      nodeId,
      path: formatPath(path),
      message: `${whose}: the rule${inner ? ` at ${inner}` : ""} is invalid: ${detail}`,
    };
  };
  const out = parsed.issues.map((issue) =>
    problem(issue.path, issue.message.replace(`${formatPath(issue.path)}: `, "")),
  );
  for (const ref of parsed.listRefs)
    if (!known.lists.has(ref.listId)) out.push(problem(ref.path, `the list ${ref.listId} does not exist`));
  return out;
}
