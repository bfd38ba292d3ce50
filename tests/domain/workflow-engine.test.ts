import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CreateWorkflow } from "../../workers/contract/workflows";
import type { WorkflowJob } from "../../workers/domain/jobs";
import { advanceRuns } from "../../workers/domain/workflows/engine";
import { handleEvent } from "../../workers/domain/workflows/events";
import {
  activateWorkflow,
  deactivateWorkflow,
  pauseWorkflow,
} from "../../workers/domain/workflows/lifecycle";
import { getInstance, workflowStats } from "../../workers/domain/workflows/runs";
import { createWorkflow, updateWorkflow } from "../../workers/domain/workflows/workflows";
import { queryRows } from "../../workers/lib/db";
import {
  contextWithQueues,
  newTag,
  seedList,
  seedSubscribers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * The engine on a real database, called directly: entries, moves, waits, events, conditions,
 * goals, leaving, versions, pause and re-entry, each step fenced so that running it twice does
 * nothing more. Queues only record (the sends and timers are checked in the ledger and runs).
 */

const { db } = useDomainDb();
const ctx = contextWithQueues(db);
const tag = newTag("wfe");
let templateId = "";
let people: Record<"ann" | "bob" | "cat" | "dan", { id: string; email: string }>;

beforeAll(async () => {
  templateId = await seedTemplate(db, `workflow engine ${tag}`);
  await db.execute(
    sql`insert into fields (id, key, label, type) values (gen_random_uuid(), 'welcomed', 'Welcomed', 'text') on conflict do nothing`,
  );
  people = await seedSubscribers(db, tag, { ann: {}, bob: {}, cat: {}, dan: {} });
});

const eventName = (name: string) => `${name}_${tag}`;
let eventSeq = 0;
function event(who: { id: string }, name: string, properties: Record<string, unknown> = {}, id?: string) {
  eventSeq += 1;
  return {
    type: "event" as const,
    id: id ?? `${tag}-${eventSeq}`,
    subscriberId: who.id,
    name: eventName(name),
    properties,
    at: new Date().toISOString(),
  } satisfies WorkflowJob;
}

async function activeWorkflow(
  def: Omit<CreateWorkflow, "name" | "nodes" | "edges"> & Pick<CreateWorkflow, "nodes" | "edges">,
) {
  const wf = await createWorkflow(ctx, { name: `wf ${tag} ${eventSeq++}`, ...def });
  await activateWorkflow(ctx, wf.id);
  return wf.id;
}

const runsOf = (workflowId: string, subscriberId: string) =>
  queryRows<{
    id: string;
    status: string;
    current_node: string;
    version: number;
    exit_reason: string | null;
  }>(
    db,
    sql`select id, status, current_node, version, exit_reason from workflow_instances
      where workflow_id = ${workflowId}::uuid and subscriber_id = ${subscriberId}::uuid order by created_at`,
  );

const sendsOf = (workflowId: string, subscriberId: string) =>
  queryRows<{ id: string; workflow_node: string; status: string }>(
    db,
    sql`select id, workflow_node, status from sends where workflow_id = ${workflowId}::uuid
      and subscriber_id = ${subscriberId}::uuid order by id`,
  );

/** Makes every waiting run of a workflow due now (instead of sleeping through the wait). */
const dueNow = (workflowId: string) =>
  db.execute(sql`update workflow_instances set wake_at = now() - interval '1 second'
    where workflow_id = ${workflowId}::uuid and status = 'waiting'`);

async function advanceAll(workflowId: string) {
  const ids = await queryRows<{ id: string }>(
    db,
    sql`select id from workflow_instances where workflow_id = ${workflowId}::uuid`,
  );
  return advanceRuns(
    ctx,
    ids.map((r) => r.id),
  );
}

describe("a welcome series: send, wait, branch on the open", () => {
  let wf = "";
  beforeAll(async () => {
    wf = await activeWorkflow({
      trigger: { type: "event", name: eventName("signup") },
      nodes: [
        { id: "a", type: "send", templateId },
        { id: "pause", type: "wait", seconds: 3600 },
        { id: "opened", type: "condition", rule: { sent: "a", activity: "opened" } },
        { id: "tag", type: "update", set: { welcomed: "yes" } },
        { id: "c", type: "send", templateId, subject: "Did you miss us?" },
      ],
      edges: [
        { from: "a", to: "pause" },
        { from: "pause", to: "opened" },
        { from: "opened", to: "tag", branch: "yes" },
        { from: "opened", to: "c", branch: "no" },
      ],
    });
  });

  it("enters on the event, sends A once, and waits; the same event twice changes nothing", async () => {
    const first = event(people.ann, "signup");
    await handleEvent(ctx, first);
    await handleEvent(ctx, first);
    await handleEvent(ctx, event(people.bob, "signup"));
    const [run] = await runsOf(wf, people.ann.id);
    expect(run).toMatchObject({ status: "waiting", current_node: "pause" });
    expect((await runsOf(wf, people.ann.id)).length).toBe(1);
    const sent = await sendsOf(wf, people.ann.id);
    expect(sent.map((s) => s.workflow_node)).toEqual(["a"]);
    expect(ctx.queues.sends.messages).toContainEqual({ type: "sends", sendIds: [Number(sent[0]?.id)] });
  });

  it("a run advanced twice at once moves once", async () => {
    await dueNow(wf);
    const [ann] = await runsOf(wf, people.ann.id);
    const [bob] = await runsOf(wf, people.bob.id);
    // Ann opened A (a person: opened_at is only ever set for human opens).
    await db.execute(
      sql`update sends set opened_at = now() where workflow_id = ${wf}::uuid and subscriber_id = ${people.ann.id}::uuid`,
    );
    const ids = [ann?.id ?? "", bob?.id ?? ""];
    await Promise.all([advanceRuns(ctx, ids), advanceRuns(ctx, ids)]);
    expect(await runsOf(wf, people.ann.id)).toMatchObject([
      { status: "completed", current_node: "tag", exit_reason: "end" },
    ]);
    expect(await runsOf(wf, people.bob.id)).toMatchObject([{ status: "completed", current_node: "c" }]);
    expect((await sendsOf(wf, people.bob.id)).map((s) => s.workflow_node)).toEqual(["a", "c"]);
    expect((await sendsOf(wf, people.ann.id)).map((s) => s.workflow_node)).toEqual(["a"]);
    const [fields] = await queryRows<{ welcomed: string }>(
      db,
      sql`select fields->>'welcomed' as welcomed from subscribers where id = ${people.ann.id}::uuid`,
    );
    expect(fields?.welcomed).toBe("yes");
  });

  it("records the path and counts each node", async () => {
    const [ann] = await runsOf(wf, people.ann.id);
    const detail = await getInstance(db, wf, ann?.id ?? "");
    expect(detail.steps.map((s) => `${s.nodeId}:${s.outcome}`)).toEqual([
      "a:queued",
      "pause:waited",
      "opened:yes",
      "tag:updated",
    ]);
    const stats = await workflowStats(db, wf);
    const at = (id: string) => stats.nodes.find((n) => n.nodeId === id);
    expect(at("a")).toMatchObject({ passed: 2, waiting: 0 });
    expect(at("opened")).toMatchObject({ passed: 2 });
    expect(at("c")).toMatchObject({ passed: 1, exited: 1 });
    expect(stats.counts).toMatchObject({ entered: 2, active: 0, completed: 2 });
  });
});

describe("abandoned cart: wait for the same cart's order, or time out", () => {
  let wf = "";
  beforeAll(async () => {
    wf = await activeWorkflow({
      trigger: { type: "event", name: eventName("cart_abandoned") },
      reentry: "always",
      nodes: [
        {
          id: "order",
          type: "wait_event",
          event: eventName("order_placed"),
          match: { cartId: "{{ trigger.properties.cartId }}" },
          timeoutSeconds: 3600,
        },
        { id: "thanks", type: "exit" },
        { id: "reminder", type: "send", templateId },
      ],
      edges: [
        { from: "order", to: "thanks", branch: "event" },
        { from: "order", to: "reminder", branch: "timeout" },
      ],
    });
  });

  it("another cart's order does not count; the same cart's does (7 and \"7\" alike)", async () => {
    await handleEvent(ctx, event(people.cat, "cart_abandoned", { cartId: 7 }));
    await handleEvent(ctx, event(people.cat, "cart_abandoned", { cartId: 9 }));
    expect((await runsOf(wf, people.cat.id)).map((r) => r.status)).toEqual(["waiting", "waiting"]);
    await handleEvent(ctx, event(people.cat, "order_placed", { cartId: 8 }));
    expect((await runsOf(wf, people.cat.id)).map((r) => r.status)).toEqual(["waiting", "waiting"]);
    await handleEvent(ctx, event(people.cat, "order_placed", { cartId: "7" }));
    const runs = await runsOf(wf, people.cat.id);
    expect(runs.map((r) => `${r.status}:${r.current_node}`).sort()).toEqual([
      "completed:thanks",
      "waiting:order",
    ]);
    await dueNow(wf);
    await advanceAll(wf);
    const after = await runsOf(wf, people.cat.id);
    expect(after.map((r) => `${r.status}:${r.current_node}`).sort()).toEqual([
      "completed:reminder",
      "completed:thanks",
    ]);
    expect((await sendsOf(wf, people.cat.id)).map((s) => s.workflow_node)).toEqual(["reminder"]);
  });
});

describe("leaving, goals, versions, pause and re-entry", () => {
  const waitThenSend = (name: string, extra: Partial<CreateWorkflow> = {}) =>
    activeWorkflow({
      trigger: { type: "event", name: eventName(name) },
      nodes: [
        { id: "w", type: "wait", seconds: 3600 },
        { id: "s", type: "send", templateId },
      ],
      edges: [{ from: "w", to: "s" }],
      ...extra,
    });

  it("an unsubscribed subscriber leaves at the next step and is not mailed", async () => {
    const wf = await waitThenSend("leave");
    const { eve } = await seedSubscribers(db, `${tag}l`, { eve: {} });
    await handleEvent(ctx, event(eve, "leave"));
    await db.execute(sql`update subscribers set status = 'unsubscribed' where id = ${eve.id}::uuid`);
    await dueNow(wf);
    await advanceAll(wf);
    expect(await runsOf(wf, eve.id)).toMatchObject([
      { status: "exited", exit_reason: "unsubscribed", current_node: "w" },
    ]);
    expect(await sendsOf(wf, eve.id)).toEqual([]);
  });

  it("an event goal converts a run midway", async () => {
    const wf = await waitThenSend("goal_start", { goal: { event: eventName("purchased") } });
    await handleEvent(ctx, event(people.dan, "goal_start"));
    await handleEvent(ctx, event(people.dan, "purchased"));
    expect(await runsOf(wf, people.dan.id)).toMatchObject([{ status: "converted", exit_reason: "goal" }]);
  });

  it("a new version leaves running instances on theirs", async () => {
    const wf = await waitThenSend("versions");
    await handleEvent(ctx, event(people.ann, "versions"));
    const wfRow = await updateWorkflow(ctx, wf, {
      nodes: [
        { id: "w", type: "wait", seconds: 3600 },
        { id: "s2", type: "send", templateId },
      ],
      edges: [{ from: "w", to: "s2" }],
    });
    expect(wfRow.version).toBe(2);
    await handleEvent(ctx, event(people.bob, "versions"));
    await dueNow(wf);
    await advanceAll(wf);
    expect(await runsOf(wf, people.ann.id)).toMatchObject([
      { version: 1, status: "completed", current_node: "s" },
    ]);
    expect(await runsOf(wf, people.bob.id)).toMatchObject([
      { version: 2, status: "completed", current_node: "s2" },
    ]);
  });

  it("pause holds every run; resume moves them; deactivate exits them", async () => {
    const wf = await waitThenSend("pause");
    await handleEvent(ctx, event(people.ann, "pause"));
    await handleEvent(ctx, event(people.bob, "pause"));
    await pauseWorkflow(ctx, wf);
    await dueNow(wf);
    await advanceAll(wf);
    expect((await runsOf(wf, people.ann.id))[0]?.status).toBe("waiting");
    await handleEvent(ctx, event(people.cat, "pause"));
    expect(await runsOf(wf, people.cat.id)).toEqual([]);
    await activateWorkflow(ctx, wf);
    expect(ctx.queues.workflows.messages).toContainEqual({ type: "drain", workflowId: wf });
    await advanceRuns(ctx, [(await runsOf(wf, people.ann.id))[0]?.id ?? ""]);
    expect((await runsOf(wf, people.ann.id))[0]?.status).toBe("completed");
    await deactivateWorkflow(ctx, wf);
    expect(await runsOf(wf, people.bob.id)).toMatchObject([{ status: "exited", exit_reason: "deactivated" }]);
  });

  it("re-entry: once never again, after_exit only when the run ended, always side by side", async () => {
    const policies = ["once", "after_exit", "always"] as const;
    const flows = await Promise.all(policies.map((reentry) => waitThenSend(`re_${reentry}`, { reentry })));
    for (const [k, reentry] of policies.entries()) {
      await handleEvent(ctx, event(people.dan, `re_${reentry}`));
      await handleEvent(ctx, event(people.dan, `re_${reentry}`));
      const wf = flows[k] ?? "";
      await dueNow(wf);
      await advanceAll(wf);
      await handleEvent(ctx, event(people.dan, `re_${reentry}`));
    }
    const counts = await Promise.all(flows.map(async (wf) => (await runsOf(wf, people.dan.id)).length));
    expect(counts).toEqual([1, 2, 3]);
  });

  it("existing: true enters the list's confirmed members on activation, in one statement", async () => {
    const listId = await seedList(db, `wf existing ${tag}`);
    const seeded = await seedSubscribers(db, `${tag}x`, {
      m1: { lists: { [listId]: "confirmed" } },
      m2: { lists: { [listId]: "confirmed" } },
      m3: { lists: { [listId]: "unsubscribed" } },
      m4: { status: "bounced", lists: { [listId]: "confirmed" } },
    });
    const wf = await activeWorkflow({
      trigger: { type: "list_joined", listId, existing: true },
      nodes: [{ id: "w", type: "wait", seconds: 60 }],
      edges: [],
    });
    const entered = await queryRows<{ subscriber_id: string }>(
      db,
      sql`select subscriber_id from workflow_instances where workflow_id = ${wf}::uuid`,
    );
    expect(entered.map((r) => r.subscriber_id).sort()).toEqual([seeded.m1.id, seeded.m2.id].sort());
  });
});
