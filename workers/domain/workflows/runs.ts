import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { decodeCursor, encodeCursor, type Page } from "../pagination";
import { getWorkflow, getWorkflowRow, type WorkflowCounts, type WorkflowView } from "./workflows";

export interface NodeStats {
  nodeId: string;
  type: string;
  waiting: number;
  passed: number;
  exited: number;
  sent?: number;
  opens?: number;
  clicks?: number;
}

/**
 * Per node of the newest version (and of older ones that still hold runs): how many stand there
 * now, how many went through (a counter bumped with each move), how many ended there; per send
 * node the messages sent and their first human opens and clicks, from the send ledger.
 */
export async function workflowStats(
  db: Database,
  id: string,
): Promise<{
  workflowId: string;
  status: WorkflowView["status"];
  counts: WorkflowCounts;
  nodes: NodeStats[];
}> {
  const wf = await getWorkflow(db, id);
  const [standing, passed, sent] = await Promise.all([
    queryRows<{ node: string; status: string; n: string | number }>(
      db,
      sql`select current_node as node, (case when status in ('running', 'waiting') then 'live' else 'ended' end) as status,
          count(*) as n
        from workflow_instances where workflow_id = ${id}::uuid group by 1, 2`,
    ),
    queryRows<{ node_id: string; passed: string | number }>(
      db,
      sql`select node_id, passed from workflow_node_counts where workflow_id = ${id}::uuid`,
    ),
    queryRows<{ node: string; sent: string | number; opens: string | number; clicks: string | number }>(
      db,
      sql`select workflow_node as node, count(*) filter (where status = 'sent') as sent,
          count(opened_at) as opens, count(clicked_at) as clicks
        from sends where workflow_id = ${id}::uuid group by workflow_node`,
    ),
  ]);
  const nodes = new Map<string, NodeStats>(
    wf.nodes.map((n) => [
      n.id,
      {
        nodeId: n.id,
        type: n.type,
        waiting: 0,
        passed: 0,
        exited: 0,
        ...(n.type === "send" ? { sent: 0, opens: 0, clicks: 0 } : {}),
      },
    ]),
  );
  const at = (nodeId: string) => {
    const known = nodes.get(nodeId);
    if (known) return known;
    // A node of an older version that still holds runs, or counted moves.
    const s: NodeStats = { nodeId, type: "removed", waiting: 0, passed: 0, exited: 0 };
    nodes.set(nodeId, s);
    return s;
  };
  for (const r of standing) {
    if (r.node === null) continue;
    if (r.status === "live") at(r.node).waiting += Number(r.n);
    else at(r.node).exited += Number(r.n);
  }
  for (const r of passed) at(r.node_id).passed = Number(r.passed);
  for (const r of sent) {
    const s = at(r.node);
    Object.assign(s, { sent: Number(r.sent), opens: Number(r.opens), clicks: Number(r.clicks) });
  }
  return { workflowId: id, status: wf.status, counts: wf.counts, nodes: [...nodes.values()] };
}

interface InstanceRow {
  id: string;
  workflow_id: string;
  workflow_name: string;
  subscriber_id: string | null;
  email: string | null;
  status: string;
  current_node: string | null;
  wake_at: Date | string | null;
  version: number;
  exit_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

type InstanceStatus = "running" | "waiting" | "completed" | "converted" | "exited" | "failed";

export interface InstanceView {
  id: string;
  workflowId: string;
  workflowName: string;
  subscriberId: string | null;
  email: string | null;
  status: InstanceStatus;
  currentNode: string | null;
  wakeAt: string | null;
  version: number;
  exitReason: string | null;
  enteredAt: string;
  updatedAt: string;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toView(r: InstanceRow): InstanceView {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    subscriberId: r.subscriber_id,
    email: r.email,
    status: r.status as InstanceStatus,
    currentNode: r.current_node,
    wakeAt: iso(r.wake_at),
    version: r.version,
    exitReason: r.exit_reason,
    enteredAt: iso(r.created_at) ?? "",
    updatedAt: iso(r.updated_at) ?? "",
  };
}

const instanceSelect = sql`select i.id, i.workflow_id, w.name as workflow_name, i.subscriber_id, s.email, i.status,
    i.current_node, i.wake_at, i.version, i.exit_reason, i.created_at, i.updated_at
  from workflow_instances i join workflows w on w.id = i.workflow_id left join subscribers s on s.id = i.subscriber_id`;

/** A workflow's runs, newest first... by id (random UUIDs: a stable order for paging, not time). */
export async function listInstances(
  db: Database,
  workflowId: string,
  q: { limit: number; cursor?: string; status?: string; nodeId?: string; subscriberId?: string },
): Promise<Page<InstanceView>> {
  // A malformed cursor is a 400 whatever the workflow (checked first).
  const after = decodeCursor(q.cursor);
  await getWorkflowRow(db, workflowId);
  const rows = await queryRows<InstanceRow>(
    db,
    sql`${instanceSelect} where i.workflow_id = ${workflowId}::uuid
      ${q.status ? sql`and i.status = ${q.status}` : sql``}
      ${q.nodeId ? sql`and i.current_node = ${q.nodeId}` : sql``}
      ${q.subscriberId ? sql`and i.subscriber_id = ${q.subscriberId}::uuid` : sql``}
      ${after ? sql`and i.id > ${after.id}::uuid` : sql``}
      order by i.id limit ${q.limit + 1}`,
  );
  const data = rows.slice(0, q.limit).map(toView);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

/** One run with the path it took: each node, what happened there, and when. */
export async function getInstance(db: Database, workflowId: string, instanceId: string) {
  const [row] = await queryRows<InstanceRow>(
    db,
    sql`${instanceSelect} where i.workflow_id = ${workflowId}::uuid and i.id = ${instanceId}::uuid`,
  );
  if (!row) throw NotFoundError("Workflow instance");
  const steps = await queryRows<{
    node_id: string;
    kind: string;
    outcome: string;
    at: Date | string;
    detail: Record<string, unknown> | null;
  }>(
    db,
    sql`select node_id, kind, outcome, at, detail from workflow_steps where instance_id = ${instanceId}::uuid order by id`,
  );
  return {
    ...toView(row),
    steps: steps.map((s) => ({
      nodeId: s.node_id,
      kind: s.kind,
      outcome: s.outcome,
      at: iso(s.at) ?? "",
      detail: s.detail,
    })),
  };
}
