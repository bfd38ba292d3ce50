import { and, desc, eq, gt, sql } from "drizzle-orm";
import { touch } from "../../../schema/columns";
import { workflows, workflowVersions } from "../../../schema/workflows";
import type {
  CreateWorkflow,
  Reentry,
  UpdateWorkflow,
  WorkflowDefinition,
  WorkflowGoal,
  WorkflowNode,
  WorkflowTrigger,
} from "../../contract/workflows";
import { type Database, queryRows } from "../../lib/db";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, encodeCursor, type Page } from "../pagination";
import { assertValidWorkflow } from "./validate";

type WorkflowRow = typeof workflows.$inferSelect;
type VersionRow = typeof workflowVersions.$inferSelect;

export interface WorkflowCounts {
  entered: number;
  active: number;
  converted: number;
  completed: number;
  exited: number;
}

/** A workflow as the API shows it: the row, its newest definition and its run counts. */
export interface WorkflowView {
  id: string;
  name: string;
  status: WorkflowRow["status"];
  version: number;
  trigger: WorkflowTrigger;
  reentry: Reentry;
  goal: WorkflowGoal | null;
  nodes: WorkflowNode[];
  edges: WorkflowDefinition["edges"];
  counts: WorkflowCounts;
  activatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function definitionOf(
  v: VersionRow,
): WorkflowDefinition & { reentry: Reentry; goal: WorkflowGoal | null } {
  return {
    trigger: v.trigger as WorkflowTrigger,
    reentry: v.reentry as Reentry,
    goal: (v.goal as WorkflowGoal | null) ?? null,
    nodes: v.nodes as WorkflowNode[],
    edges: v.edges as WorkflowDefinition["edges"],
  };
}

const ZERO: WorkflowCounts = { entered: 0, active: 0, converted: 0, completed: 0, exited: 0 };

/** Run counts per workflow, by status (one GROUP BY over the workflows asked for). */
export async function countsOf(db: Database, ids: string[]): Promise<Map<string, WorkflowCounts>> {
  const out = new Map<string, WorkflowCounts>(ids.map((id) => [id, { ...ZERO }]));
  if (ids.length === 0) return out;
  const rows = await queryRows<{ workflow_id: string; status: string; n: string | number }>(
    db,
    sql`select workflow_id, status, count(*) as n from workflow_instances
      where workflow_id = any(${`{${ids.join(",")}}`}::uuid[]) group by workflow_id, status`,
  );
  for (const r of rows) {
    const c = out.get(r.workflow_id);
    if (!c) continue;
    const n = Number(r.n);
    c.entered += n;
    if (r.status === "running" || r.status === "waiting") c.active += n;
    else if (r.status === "converted") c.converted += n;
    else if (r.status === "completed") c.completed += n;
    else c.exited += n;
  }
  return out;
}

async function viewsOf(db: Database, rows: WorkflowRow[]): Promise<WorkflowView[]> {
  if (rows.length === 0) return [];
  const versions = await queryRows<VersionRow & { workflow_id: string }>(
    db,
    sql`select v.workflow_id, v.version, v.trigger, v.nodes, v.edges, v.reentry, v.goal, v.created_at
      from workflow_versions v join workflows w on w.id = v.workflow_id and v.version = w.current_version
      where w.id = any(${`{${rows.map((r) => r.id).join(",")}}`}::uuid[])`,
  );
  const byId = new Map(versions.map((v) => [v.workflow_id, v]));
  const counts = await countsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const v = byId.get(r.id);
    if (!v) throw new Error(`workflow ${r.id} has no version ${r.currentVersion}`);
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      version: r.currentVersion,
      ...definitionOf(v),
      counts: counts.get(r.id) ?? { ...ZERO },
      activatedAt: r.activatedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

export async function listWorkflows(
  db: Database,
  q: { limit: number; cursor?: string; status?: WorkflowRow["status"] },
): Promise<Page<WorkflowView>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(workflows)
    .where(
      and(
        after ? gt(workflows.id, after.id) : undefined,
        q.status ? eq(workflows.status, q.status) : undefined,
      ),
    )
    .orderBy(workflows.id)
    .limit(q.limit + 1);
  const data = await viewsOf(db, rows.slice(0, q.limit));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

export async function getWorkflowRow(db: Database, id: string): Promise<WorkflowRow> {
  const [row] = await db.select().from(workflows).where(eq(workflows.id, id));
  if (!row) throw NotFoundError("Workflow");
  return row;
}

export async function getWorkflow(db: Database, id: string): Promise<WorkflowView> {
  const [view] = await viewsOf(db, [await getWorkflowRow(db, id)]);
  if (!view) throw NotFoundError("Workflow");
  return view;
}

/** A new workflow, as a draft with version 1 (validated: a 422 names each problem's node). */
export async function createWorkflow(
  { db, actor }: DomainContext,
  input: CreateWorkflow,
): Promise<WorkflowView> {
  const { name, ...rest } = input;
  const def: WorkflowDefinition = { ...rest, reentry: input.reentry ?? "once", goal: input.goal ?? null };
  await assertValidWorkflow(db, def, { forActivation: false });
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.insert(workflows).values({ name, status: "draft", currentVersion: 1 }).returning();
    if (!row) throw new Error("insert returned nothing");
    await tx.insert(workflowVersions).values(versionValues(row.id, 1, def));
    await emitAudit(tx, actor, {
      action: "workflow.create",
      entity: "workflow",
      entityId: row.id,
      after: { name: row.name, ...def },
    });
    return row.id;
  });
  return getWorkflow(db, id);
}

function versionValues(workflowId: string, version: number, def: WorkflowDefinition) {
  return {
    workflowId,
    version,
    trigger: def.trigger as Record<string, unknown>,
    nodes: def.nodes as unknown as Record<string, unknown>[],
    edges: def.edges as unknown as Record<string, unknown>[],
    reentry: def.reentry ?? "once",
    goal: (def.goal ?? null) as Record<string, unknown> | null,
  };
}

const DEFINITION_KEYS = ["trigger", "reentry", "goal", "nodes", "edges"] as const;

/**
 * Renames, or publishes a new version of the definition (running instances stay on theirs; new
 * entries take the new one). The whole new definition is validated as on create; an active
 * workflow's new version is validated as for activation.
 */
export async function updateWorkflow(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateWorkflow,
): Promise<WorkflowView> {
  const before = await getWorkflow(db, id);
  const changesDefinition = DEFINITION_KEYS.some((k) => input[k] !== undefined);
  const def: WorkflowDefinition = {
    trigger: input.trigger ?? before.trigger,
    reentry: input.reentry ?? before.reentry,
    goal: input.goal === undefined ? before.goal : input.goal,
    nodes: input.nodes ?? before.nodes,
    edges: input.edges ?? before.edges,
  };
  if (changesDefinition) await assertValidWorkflow(db, def, { forActivation: before.status === "active" });
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(workflows).where(eq(workflows.id, id)).for("update");
    if (!row) throw NotFoundError("Workflow");
    if (row.currentVersion !== before.version)
      throw ConflictError("The workflow was changed meanwhile: reload it and apply your change again");
    const version = changesDefinition ? row.currentVersion + 1 : row.currentVersion;
    if (changesDefinition) await tx.insert(workflowVersions).values(versionValues(id, version, def));
    await tx
      .update(workflows)
      .set(touch({ name: input.name, currentVersion: version }))
      .where(eq(workflows.id, id));
    await emitAudit(tx, actor, {
      action: "workflow.update",
      entity: "workflow",
      entityId: id,
      before: { name: before.name, version: before.version },
      after: { name: input.name ?? before.name, version, ...(changesDefinition ? def : {}) },
    });
  });
  return getWorkflow(db, id);
}

/** Deletes a workflow with its versions and runs (their sends stay in the ledger, for analytics). */
export async function deleteWorkflow({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(workflows).where(eq(workflows.id, id)).returning();
    if (!row) throw NotFoundError("Workflow");
    await emitAudit(tx, actor, {
      action: "workflow.delete",
      entity: "workflow",
      entityId: id,
      before: { name: row.name, status: row.status },
    });
  });
}

export async function listVersions(db: Database, id: string) {
  await getWorkflowRow(db, id);
  const rows = await db
    .select()
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowId, id))
    .orderBy(desc(workflowVersions.version));
  return rows.map((v) => ({ version: v.version, ...definitionOf(v), createdAt: v.createdAt }));
}
