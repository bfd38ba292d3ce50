import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { lists } from "../../schema/lists";
import { fields } from "../../schema/subscribers";
import { templates } from "../../schema/templates";
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from "../../workers/contract/workflows";
import { createSegment } from "../../workers/domain/audience/segments/segments";
import { createTemplate } from "../../workers/domain/content/templates";
import { assertValidWorkflow, validateWorkflow } from "../../workers/domain/workflows/validate";
import { AppError } from "../../workers/lib/errors";
import { actor, newTag, seedCampaign, seedList, seedTemplate, useDomainDb } from "../support/domain";

/**
 * A workflow definition checked against the database: every template, list, segment, campaign
 * and field it names, and its segment rules, on the suite's own rows. Field keys carry the
 * suite's tag: definitions are global.
 */

const { db } = useDomainDb();
const tag = newTag("wfv");
const key = { renewal: `${tag}_renewal`, plan: `${tag}_plan`, age: `${tag}_age` };
const id = {
  template: "",
  noLink: "",
  deleted: "",
  list: "",
  archived: "",
  segment: "",
  campaign: "",
};
const missing = () => crypto.randomUUID();

beforeAll(async () => {
  await db.insert(fields).values([
    { key: key.renewal, label: "Renewal", type: "date" },
    { key: key.plan, label: "Plan", type: "select", options: ["free", "pro"] },
    { key: key.age, label: "Age", type: "number" },
  ]);
  id.template = await seedTemplate(db, `workflow ${tag}`);
  // Transactional templates may be saved without an unsubscribe link; campaign ones may not.
  const receipt = await createTemplate(
    { db, actor },
    { name: `receipt ${tag}`, kind: "transactional", subject: "Your receipt", html: "<p>Thanks</p>" },
  );
  id.noLink = receipt.id;
  id.deleted = await seedTemplate(db, `deleted ${tag}`);
  await db.update(templates).set({ deletedAt: new Date() }).where(eq(templates.id, id.deleted));
  id.list = await seedList(db, `workflow ${tag}`);
  id.archived = await seedList(db, `archived ${tag}`);
  await db.update(lists).set({ archivedAt: new Date() }).where(eq(lists.id, id.archived));
  const segment = await createSegment(
    { db, actor },
    { name: `workflow ${tag}`, rules: { status: "active" } },
  );
  id.segment = segment.id;
  id.campaign = await seedCampaign(db, { name: `workflow ${tag}`, templateId: id.template });
});

const edge = (from: string, to: string, branch?: string): WorkflowEdge => ({
  from,
  to,
  ...(branch ? { branch } : {}),
});

/** A definition of one node (then an exit), entered by joining the suite's list. */
function oneNode(n: WorkflowNode, more: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return {
    trigger: { type: "list_joined", listId: id.list },
    nodes: [n, { id: "end", type: "exit" }],
    edges: [edge(n.id, "end")],
    ...more,
  };
}
const problemsOf = (d: WorkflowDefinition) => validateWorkflow(db, d, { forActivation: true });

describe("validateWorkflow: a complete workflow", () => {
  it("finds nothing in a workflow that uses every kind of reference", async () => {
    const d: WorkflowDefinition = {
      trigger: { type: "list_joined", listId: id.list.toUpperCase() },
      reentry: "after_exit",
      goal: { and: [{ field: key.plan, op: "eq", value: "pro" }, { list: id.list }] },
      nodes: [
        { id: "welcome", type: "send", templateId: id.template },
        { id: "pause", type: "wait", seconds: 86_400 },
        { id: "opened", type: "condition", rule: { sent: "welcome", activity: "opened" } },
        {
          id: "tag",
          type: "update",
          addLists: [id.list],
          removeLists: [id.archived],
          set: { [key.plan]: "free" },
        },
        { id: "older", type: "condition", rule: { field: key.age, op: "gte", value: 30 } },
        { id: "renewal", type: "wait", untilField: key.renewal, offsetDays: -3 },
        { id: "ab", type: "split", weights: [50, 50] },
        { id: "nudge", type: "send", templateId: id.template },
        { id: "done", type: "exit" },
      ],
      edges: [
        edge("welcome", "pause"),
        edge("pause", "opened"),
        edge("opened", "tag", "yes"),
        edge("opened", "nudge", "no"),
        edge("tag", "older"),
        edge("older", "renewal", "yes"),
        edge("older", "ab", "no"),
        edge("ab", "done", "0"),
        edge("ab", "nudge", "1"),
      ],
    };
    expect(await problemsOf(d)).toEqual([]);
    await expect(assertValidWorkflow(db, d, { forActivation: true })).resolves.toBeUndefined();
  });

  it("accepts the triggers that name a segment, a campaign and a date field", async () => {
    const send: WorkflowNode = { id: "hello", type: "send", templateId: id.template };
    for (const trigger of [
      { type: "segment_entered", segmentId: id.segment },
      { type: "campaign_activity", campaignId: id.campaign, activity: "clicked" },
      { type: "date_field", field: key.renewal, time: "09:00" },
    ] as const)
      expect(await problemsOf(oneNode(send, { trigger }))).toEqual([]);
  });
});

describe("validateWorkflow: templates", () => {
  it("names a send step whose template does not exist or was deleted", async () => {
    const ghost = missing();
    expect(await problemsOf(oneNode({ id: "hello", type: "send", templateId: ghost }))).toEqual([
      {
        nodeId: "hello",
        path: "nodes[0].templateId",
        message: `Node "hello": its template does not exist or was deleted (${ghost})`,
      },
    ]);
    const deleted = await problemsOf(oneNode({ id: "hello", type: "send", templateId: id.deleted }));
    expect(deleted.map((p) => p.path)).toEqual(["nodes[0].templateId"]);
  });

  it("names a send step whose template has no unsubscribe link", async () => {
    expect(await problemsOf(oneNode({ id: "receipt", type: "send", templateId: id.noLink }))).toEqual([
      {
        nodeId: "receipt",
        path: "nodes[0].templateId",
        message: `Node "receipt": its template "receipt ${tag}" has no unsubscribe link; add {{ unsubscribe_url }} to it`,
      },
    ]);
  });
});

describe("validateWorkflow: lists, segments and campaigns", () => {
  it("names unknown lists, and an archived list that would be added to", async () => {
    const ghost = missing();
    const d = oneNode({ id: "tag", type: "update", addLists: [ghost, id.archived], removeLists: [ghost] });
    expect(await problemsOf(d)).toEqual([
      {
        nodeId: "tag",
        path: "nodes[0].addLists[0]",
        message: `Node "tag": it adds subscribers to a list that does not exist (${ghost})`,
      },
      {
        nodeId: "tag",
        path: "nodes[0].addLists[1]",
        message: `Node "tag": the list "archived ${tag}" is archived and takes no new members`,
      },
      {
        nodeId: "tag",
        path: "nodes[0].removeLists[0]",
        message: `Node "tag": it removes subscribers from a list that does not exist (${ghost})`,
      },
    ]);
  });

  it("names the trigger's unknown list, segment or campaign", async () => {
    const ghost = missing();
    const send: WorkflowNode = { id: "hello", type: "send", templateId: id.template };
    const cases = [
      [
        { type: "list_joined", listId: ghost },
        "trigger.listId",
        `The trigger's list does not exist (${ghost})`,
      ],
      [
        { type: "segment_entered", segmentId: ghost },
        "trigger.segmentId",
        `The trigger's segment does not exist (${ghost})`,
      ],
      [
        { type: "campaign_activity", campaignId: ghost, activity: "opened" },
        "trigger.campaignId",
        `The trigger's campaign does not exist (${ghost})`,
      ],
    ] as const;
    for (const [trigger, path, message] of cases)
      expect(await problemsOf(oneNode(send, { trigger }))).toEqual([{ nodeId: null, path, message }]);
  });
});

describe("validateWorkflow: fields", () => {
  it("names a field an update sets that does not exist, or a value that does not suit it", async () => {
    const d = oneNode({
      id: "u",
      type: "update",
      set: { [`${tag}_nope`]: 1, [key.plan]: "gold", [key.age]: 41 },
    });
    expect(await problemsOf(d)).toEqual([
      {
        nodeId: "u",
        path: `nodes[0].set.${tag}_nope`,
        message: `Node "u": it sets the field "${tag}_nope", which does not exist`,
      },
      {
        nodeId: "u",
        path: `nodes[0].set.${key.plan}`,
        message: `Node "u": the value for "${key.plan}" must be one of: free, pro`,
      },
    ]);
  });

  it("wants a wait for a date field to name a date field", async () => {
    expect(await problemsOf(oneNode({ id: "w", type: "wait", untilField: `${tag}_nope` }))).toEqual([
      {
        nodeId: "w",
        path: "nodes[0].untilField",
        message: `Node "w": it waits for a date, but the field "${tag}_nope" does not exist`,
      },
    ]);
    const notDate = await problemsOf(oneNode({ id: "w", type: "wait", untilField: key.age }));
    expect(notDate.map((p) => p.message)).toEqual([
      `Node "w": it waits for a date, but the field "${key.age}" is a number field, not a date`,
    ]);
  });

  it("wants a date trigger on a date field", async () => {
    const send: WorkflowNode = { id: "hello", type: "send", templateId: id.template };
    expect(await problemsOf(oneNode(send, { trigger: { type: "date_field", field: key.plan } }))).toEqual([
      {
        nodeId: null,
        path: "trigger.field",
        message: `The trigger's field "${key.plan}" is a select field, not a date`,
      },
    ]);
    const unknown = await problemsOf(
      oneNode(send, { trigger: { type: "date_field", field: `${tag}_nope` } }),
    );
    expect(unknown.map((p) => p.message)).toEqual([`The trigger's field "${tag}_nope" does not exist`]);
  });
});

describe("validateWorkflow: segment rules", () => {
  const condition = (rule: Record<string, unknown>): WorkflowDefinition => ({
    trigger: { type: "list_joined", listId: id.list },
    nodes: [
      { id: "check", type: "condition", rule },
      { id: "yes", type: "exit" },
      { id: "no", type: "exit" },
    ],
    edges: [edge("check", "yes", "yes"), edge("check", "no", "no")],
  });

  it("names the exact node of an invalid rule in a condition, with the segments' own words", async () => {
    const ghost = missing();
    const rule = { and: [{ field: key.age, op: "contains", value: "3" }, { list: ghost }] };
    expect(await problemsOf(condition(rule))).toEqual([
      {
        nodeId: "check",
        path: "nodes[0].rule.and[0].op",
        message: `Node "check": the rule at and[0].op is invalid: "contains" does not apply to the number field "${key.age}"; use eq, neq, gt, gte, lt, lte, isSet`,
      },
      {
        nodeId: "check",
        path: "nodes[0].rule.and[1].list",
        message: `Node "check": the rule at and[1].list is invalid: the list ${ghost} does not exist`,
      },
    ]);
  });

  it("names an invalid rule of the goal on the whole workflow", async () => {
    const d = oneNode(
      { id: "hello", type: "send", templateId: id.template },
      { goal: { field: `${tag}_nope`, op: "eq", value: 1 } },
    );
    expect(await problemsOf(d)).toEqual([
      {
        nodeId: null,
        path: "goal",
        message: `The goal: the rule is invalid: unknown field "${tag}_nope"`,
      },
    ]);
    expect(
      await problemsOf(
        oneNode({ id: "hello", type: "send", templateId: id.template }, { goal: { event: "paid" } }),
      ),
    ).toEqual([]);
  });
});

describe("assertValidWorkflow", () => {
  it("throws one 422 with the first problem, how many more, and every problem in the details", async () => {
    const ghost = missing();
    const d: WorkflowDefinition = {
      trigger: { type: "list_joined", listId: id.list },
      nodes: [
        { id: "hello", type: "send", templateId: ghost },
        { id: "check", type: "condition", rule: { sent: "hello", activity: "opened" } },
        { id: "yes", type: "exit" },
      ],
      edges: [edge("hello", "check"), edge("check", "yes", "yes")],
    };
    const err = await assertValidWorkflow(db, d, { forActivation: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const appError = err as AppError;
    expect(appError.status).toBe(422);
    expect(appError.message).toBe('Node "check": a condition needs a "no" branch (and 1 more)');
    expect(appError.details).toEqual({
      code: "invalid_workflow",
      problems: [
        { nodeId: "check", path: "nodes[1]", message: 'Node "check": a condition needs a "no" branch' },
        {
          nodeId: "hello",
          path: "nodes[0].templateId",
          message: `Node "hello": its template does not exist or was deleted (${ghost})`,
        },
      ],
    });
  });
});
