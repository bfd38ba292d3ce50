import { eq, sql } from "drizzle-orm";
import { workflows } from "../../../schema/workflows";
import { affectedRows } from "../../lib/db";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { emitAudit } from "../audit";
import { type DomainContext, queuesIn } from "../context";
import { campaignActivitySource, enterMany, listMembersSource } from "./enter";
import { type CompiledVersion, loadVersion } from "./graph";
import { compareSegment } from "./triggers";
import { assertValidWorkflow } from "./validate";
import { getWorkflow, getWorkflowRow, type WorkflowView } from "./workflows";

type Status = (typeof workflows.$inferSelect)["status"];

async function setStatus(
  ctx: DomainContext,
  id: string,
  from: Status[],
  to: Status,
  action: string,
  extra: Partial<typeof workflows.$inferInsert> = {},
): Promise<Status> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(workflows).where(eq(workflows.id, id)).for("update");
    if (!row) throw NotFoundError("Workflow");
    if (!from.includes(row.status))
      throw ConflictError(`The workflow is ${row.status}; this works from ${from.join(" or ")} only`, {
        status: row.status,
      });
    await tx
      .update(workflows)
      .set({ status: to, updatedAt: sql`now()`, ...extra })
      .where(eq(workflows.id, id));
    await emitAudit(tx, ctx.actor, {
      action,
      entity: "workflow",
      entityId: id,
      before: { status: row.status },
      after: { status: to },
    });
    return row.status;
  });
}

/**
 * Activates a draft or inactive workflow (validated first: a 422 names each node's problem), or
 * resumes a paused one. On first activation with `existing: true`, everyone who matches now
 * enters in one `INSERT ... SELECT`; the runs are then drained by the queue.
 */
export async function activateWorkflow(ctx: DomainContext, id: string): Promise<WorkflowView> {
  const before = await getWorkflow(ctx.db, id);
  if (before.status !== "paused") await assertValidWorkflow(ctx.db, before, { forActivation: true });
  const was = await setStatus(
    ctx,
    id,
    ["draft", "inactive", "paused"],
    "active",
    before.status === "paused" ? "workflow.resume" : "workflow.activate",
    {
      ...(before.status === "paused" ? {} : { activatedAt: new Date(), checkedAt: new Date() }),
    },
  );
  const v = await loadVersion(ctx.db, id, before.version);
  if (was !== "paused") await enterExisting(ctx, v);
  // Runs that came due while paused (and everything `existing` entered) move now.
  await queuesIn(ctx).workflows.send({ type: "drain", workflowId: id });
  return getWorkflow(ctx.db, id);
}

/** `existing: true`: the trigger's current matches enter at activation (set-based). */
export async function enterExisting(ctx: DomainContext, v: CompiledVersion): Promise<number> {
  const t = v.trigger;
  if (t.type === "segment_entered") return compareSegment(ctx.db, v, t.segmentId, t.existing === true);
  if (!t.existing) return 0;
  if (t.type === "list_joined") return enterMany(ctx.db, v, listMembersSource(t.listId));
  if (t.type === "campaign_activity")
    return enterMany(ctx.db, v, campaignActivitySource(t.campaignId, t.activity));
  // Custom events are not stored, and anniversaries enter on their day: nothing matches "now".
  return 0;
}

/** Holds every run where it stands: nothing moves, nothing enters, until resumed (activate). */
export async function pauseWorkflow(ctx: DomainContext, id: string): Promise<WorkflowView> {
  await setStatus(ctx, id, ["active"], "paused", "workflow.pause");
  return getWorkflow(ctx.db, id);
}

/** Stops entries and ends every running instance (`exited`, reason `deactivated`). */
export async function deactivateWorkflow(ctx: DomainContext, id: string): Promise<WorkflowView> {
  await getWorkflowRow(ctx.db, id);
  await setStatus(ctx, id, ["active", "paused"], "inactive", "workflow.deactivate");
  await affectedRows(
    ctx.db,
    sql`update workflow_instances set status = 'exited', exit_reason = 'deactivated', wake_at = null,
        wait_event = null, wait_match = null, updated_at = now()
      where workflow_id = ${id}::uuid and status in ('running', 'waiting')`,
  );
  return getWorkflow(ctx.db, id);
}
