import { type SQL, sql } from "drizzle-orm";
import type { NodeOf, WorkflowNode } from "../../contract/workflows";
import type { Database } from "../../lib/db";
import { compileSegment } from "../audience/segments/compiler";
import type { CompiledVersion } from "./graph";
import { type MoveSpec, moveRuns, type RunRow } from "./moves";
import { holdRuns, matchOf, wakeAtOf } from "./waits";

/** What the steps of one advance leave for after their transactions: mail, timers, calls. */
export interface Effects {
  sendIds: number[];
  timers: { id: string; at: number }[];
  webhookIds: number[];
}

export const noEffects = (): Effects => ({ sendIds: [], timers: [], webhookIds: [] });

export interface StepContext {
  db: Database;
  version: CompiledVersion;
  orgZone: string;
  effects: Effects;
}

const single = (v: CompiledVersion, nodeId: string, label: string) =>
  new Map<string, string | null>([[label, v.next(nodeId)]]);

const branches = (v: CompiledVersion, nodeId: string, labels: string[]) =>
  new Map<string, string | null>(labels.map((b) => [b, v.next(nodeId, b)]));

function spec(s: StepContext, node: WorkflowNode, from: MoveSpec["from"], rest: Partial<MoveSpec>): MoveSpec {
  return {
    workflowId: s.version.workflowId,
    nodeId: node.id,
    kind: node.type,
    from,
    targets: rest.targets ?? single(s.version, node.id, "ok"),
    branch: rest.branch ?? sql`'ok'`,
    endReason: node.type === "exit" ? "exit" : "end",
    ...rest,
  };
}

/**
 * Runs one node for a group of runs standing on it (same workflow, version, node and status), as
 * one statement for the whole group. Runs `waiting` there have finished a wait; `running` ones
 * run the node now.
 */
export async function runNode(s: StepContext, node: WorkflowNode, runs: RunRow[], status: RunRow["status"]) {
  if (status === "waiting") return finishWait(s, node, runs);
  switch (node.type) {
    case "send":
      return sendStep(s, node, runs);
    case "wait":
      return hold(s, runs, node.id, wakeAtOf(node, s.orgZone));
    case "wait_event":
      return hold(s, runs, node.id, sql`now() + make_interval(secs => ${node.timeoutSeconds})`, {
        name: node.event,
        match: matchOf(node),
      });
    case "condition":
      return conditionStep(s, node, runs);
    case "split":
      return splitStep(s, node, runs);
    case "update":
      return updateStep(s, node, runs);
    case "webhook":
      return webhookStep(s, node, runs);
    case "exit":
      return moveRuns(
        s.db,
        runs,
        spec(s, node, "running", { targets: new Map([["exit", null]]), branch: sql`'exit'` }),
      );
  }
}

/** A wait is over: on to the next node (`wait_event` without its event: the timeout branch). */
function finishWait(s: StepContext, node: WorkflowNode, runs: RunRow[]) {
  if (node.type === "wait_event")
    return moveRuns(
      s.db,
      runs,
      spec(s, node, "waiting", {
        targets: branches(s.version, node.id, ["timeout"]),
        branch: sql`'timeout'`,
      }),
    );
  return moveRuns(
    s.db,
    runs,
    spec(s, node, "waiting", { targets: single(s.version, node.id, "waited"), branch: sql`'waited'` }),
  );
}

async function hold(
  s: StepContext,
  runs: RunRow[],
  nodeId: string,
  wake: SQL,
  event?: { name: string; match: SQL },
) {
  const held = await holdRuns(s.db, runs, nodeId, wake, event);
  for (const h of held) if (h.wake_at) s.effects.timers.push({ id: h.id, at: new Date(h.wake_at).getTime() });
  return held;
}

/**
 * A send node: the message goes into the send ledger in the same statement as the move, keyed by
 * (run, node, visit), so a step run twice queues one message. The sends consumer builds and
 * delivers it like a transactional send, with the campaign mail's unsubscribe link and headers.
 */
async function sendStep(s: StepContext, node: NodeOf<"send">, runs: RunRow[]) {
  const payload = {
    kind: "workflow",
    templateId: node.templateId,
    ...(node.fromEmail ? { fromEmail: node.fromEmail } : {}),
    ...(node.fromName ? { fromName: node.fromName } : {}),
    ...(node.subject ? { subject: node.subject } : {}),
    workflowId: s.version.workflowId,
    nodeId: node.id,
  };
  const queued = sql`queued as (
    insert into sends (workflow_instance_id, workflow_id, workflow_node, workflow_visit, subscriber_id, email,
      status, template_id, template_version, payload)
    select m.id, ${s.version.workflowId}::uuid, ${node.id}, m.visit, sub.id, sub.email, 'queued',
      t.id, t.current_version, ${JSON.stringify(payload)}::jsonb
    from moved m join subscribers sub on sub.id = m.subscriber_id
      join templates t on t.id = ${node.templateId}::uuid
    on conflict (workflow_instance_id, workflow_node, workflow_visit) where workflow_instance_id is not null
      do nothing
    returning id)`;
  const rows = await moveRuns<{ send_id: string | number | null }>(
    s.db,
    runs,
    spec(s, node, "running", {
      targets: single(s.version, node.id, "queued"),
      branch: sql`'queued'`,
      effects: [queued],
      select: sql`select id as send_id from queued`,
    }),
  );
  for (const r of rows) if (r.send_id !== null) s.effects.sendIds.push(Number(r.send_id));
  return rows;
}

/** A condition: one statement decides yes or no for every run in the group. */
async function conditionStep(s: StepContext, node: NodeOf<"condition">, runs: RunRow[]) {
  const rule = node.rule as Record<string, unknown>;
  let test: SQL;
  if (typeof rule.sent === "string") {
    const column = rule.activity === "clicked" ? sql.raw("clicked_at") : sql.raw("opened_at");
    test = sql`exists (select 1 from sends sd where sd.workflow_instance_id = i.id
      and sd.workflow_node = ${rule.sent} and sd.${column} is not null)`;
  } else {
    const where = await compileSegment(s.db, rule);
    test = sql`exists (select 1 from subscribers where subscribers.id = i.subscriber_id and ${where})`;
  }
  return moveRuns(
    s.db,
    runs,
    spec(s, node, "running", {
      targets: branches(s.version, node.id, ["yes", "no"]),
      branch: sql`case when ${test} then 'yes' else 'no' end`,
    }),
  );
}

/** A random split, stable for a run's visit (a step run twice takes the same branch). */
async function splitStep(s: StepContext, node: NodeOf<"split">, runs: RunRow[]) {
  const total = node.weights.reduce((a, b) => a + b, 0) || 1;
  let upto = 0;
  const whens = node.weights.map((w, k) => {
    upto += w;
    return sql`when bucket < ${upto} then ${String(k)}`;
  });
  const labels = node.weights.map((_, k) => String(k));
  return moveRuns(
    s.db,
    runs,
    spec(s, node, "running", {
      targets: branches(s.version, node.id, labels),
      branch: sql`(select case ${sql.join(whens, sql` `)} else ${String(node.weights.length - 1)} end
        from (select (abs(hashtext(i.id::text || ':' || ${node.id} || ':' || seen.visit::text)) % ${total}) as bucket) b)`,
    }),
  );
}

/**
 * Fields and lists, in the move's statement. A list the subscriber unsubscribed from is never
 * re-joined by a workflow (their consent record stands); removing leaves unsubscribe records too.
 */
async function updateStep(s: StepContext, node: NodeOf<"update">, runs: RunRow[]) {
  const effects: SQL[] = [];
  const set = Object.entries(node.set ?? {});
  if (set.length > 0) {
    const values = Object.fromEntries(set.filter(([, v]) => v !== null));
    const removed = set.filter(([, v]) => v === null).map(([k]) => k);
    effects.push(sql`fields_set as (update subscribers sub
      set fields = (sub.fields || ${JSON.stringify(values)}::jsonb) - ${`{${removed.map((k) => JSON.stringify(k)).join(",")}}`}::text[],
        updated_at = now()
      from moved m where sub.id = m.subscriber_id)`);
  }
  for (const [k, listId] of (node.addLists ?? []).entries())
    effects.push(sql`${sql.raw(`list_add_${k}`)} as (insert into list_memberships as lm
      (list_id, subscriber_id, status, source, confirmed_at)
      select ${listId}::uuid, m.subscriber_id, 'confirmed', 'workflow', now() from moved m
      on conflict (list_id, subscriber_id) do update set status = 'confirmed', updated_at = now()
        where lm.status = 'unconfirmed')`);
  if (node.removeLists?.length)
    effects.push(sql`list_remove as (delete from list_memberships lm using moved m
      where lm.subscriber_id = m.subscriber_id and lm.status <> 'unsubscribed'
        and lm.list_id = any(${`{${node.removeLists.join(",")}}`}::uuid[]))`);
  return moveRuns(
    s.db,
    runs,
    spec(s, node, "running", {
      targets: single(s.version, node.id, "updated"),
      branch: sql`'updated'`,
      effects,
    }),
  );
}

/** A webhook node: the call is recorded with the move (once per run, node and visit) and made by the queue. */
async function webhookStep(s: StepContext, node: NodeOf<"webhook">, runs: RunRow[]) {
  const call = sql`called as (
    insert into workflow_webhook_calls (instance_id, node_id, visit, url, secret_ref, body)
    select m.id, ${node.id}, m.visit, ${node.url}, ${node.secretRef ?? null},
      jsonb_build_object('type', 'workflow.webhook', 'workflowId', ${s.version.workflowId}::text,
        'version', ${s.version.version}::int, 'instanceId', m.id, 'nodeId', ${node.id}::text, 'visit', m.visit,
        'subscriber', jsonb_build_object('id', sub.id, 'email', sub.email, 'name', sub.name, 'fields', sub.fields),
        'trigger', i.context->'trigger', 'at', now())
    from moved m join subscribers sub on sub.id = m.subscriber_id join workflow_instances i on i.id = m.id
    on conflict (instance_id, node_id, visit) do nothing
    returning id)`;
  const rows = await moveRuns<{ call_id: string | number }>(
    s.db,
    runs,
    spec(s, node, "running", {
      targets: single(s.version, node.id, "called"),
      branch: sql`'called'`,
      effects: [call],
      select: sql`select id as call_id from called`,
    }),
  );
  for (const r of rows) s.effects.webhookIds.push(Number(r.call_id));
  return rows;
}
