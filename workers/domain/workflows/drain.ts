import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/db";
import { type DomainContext, queuesIn } from "../context";
import { queueWebhookCalls } from "./effects";
import { advanceRuns } from "./engine";

/** Runs advanced per round of a drain (one set of statements per node for all of them). */
const DRAIN_BATCH = 1000;

/** A run due this long ago has lost its timer or its message: the cron hands it over again. */
const OVERDUE_SECONDS = 30;

/**
 * Advances the due runs of one workflow, a thousand at a time, until none is left or the time
 * budget is spent; then says whether more remain (the consumer queues the next drain).
 */
export async function drainWorkflow(
  ctx: DomainContext,
  workflowId: string,
  budgetMs: number,
): Promise<{ advanced: number; more: boolean }> {
  const started = Date.now();
  let advanced = 0;
  let seen = new Set<string>();
  while (Date.now() - started < budgetMs) {
    const ids = (
      await queryRows<{ id: string }>(
        ctx.db,
        sql`select i.id from workflow_instances i join workflows w on w.id = i.workflow_id and w.status = 'active'
          where i.workflow_id = ${workflowId}::uuid and i.status in ('running', 'waiting') and i.wake_at <= now()
          order by i.wake_at limit ${DRAIN_BATCH}`,
      )
    ).map((r) => r.id);
    // Runs that are still due after their advance (a node that failed) would be read forever.
    const fresh = ids.filter((id) => !seen.has(id));
    if (fresh.length === 0) return { advanced, more: false };
    await advanceRuns(ctx, fresh);
    advanced += fresh.length;
    seen = new Set([...seen, ...fresh].slice(-10 * DRAIN_BATCH));
  }
  return { advanced, more: true };
}

/**
 * The cron's safety net: workflows with runs due for a while (a lost timer, a lost queue message,
 * a crash midway) get a drain message. Returns how many workflows.
 */
export async function wakeOverdueRuns(ctx: DomainContext): Promise<number> {
  const rows = await queryRows<{ workflow_id: string }>(
    ctx.db,
    sql`select distinct i.workflow_id from workflow_instances i join workflows w on w.id = i.workflow_id
      where w.status = 'active' and i.status in ('running', 'waiting')
        and i.wake_at <= now() - make_interval(secs => ${OVERDUE_SECONDS})`,
  );
  const queue = queuesIn(ctx).workflows;
  for (let k = 0; k < rows.length; k += 100)
    await queue.sendBatch(
      rows.slice(k, k + 100).map((r) => ({ body: { type: "drain" as const, workflowId: r.workflow_id } })),
    );
  return rows.length;
}

/** Webhook calls pending past their time (their message was lost): back on the queue. */
export async function requeuePendingCalls(ctx: DomainContext): Promise<number> {
  const rows = await queryRows<{ id: string | number }>(
    ctx.db,
    sql`select id from workflow_webhook_calls where status = 'pending'
      and next_at <= now() - make_interval(secs => ${OVERDUE_SECONDS * 2}) order by next_at limit 1000`,
  );
  await queueWebhookCalls(
    queuesIn(ctx).workflows,
    rows.map((r) => Number(r.id)),
  );
  return rows.length;
}
