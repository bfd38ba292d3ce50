import { systemActor } from "../domain/actor";
import { type DomainContext, queuesOf } from "../domain/context";
import type { WorkflowJob } from "../domain/jobs";
import { wakeDueEndpoints } from "../domain/webhooks/emit";
import { drainWorkflow } from "../domain/workflows/drain";
import { advanceRuns } from "../domain/workflows/engine";
import { handleEvent } from "../domain/workflows/events";
import { deliverWebhookCall } from "../domain/workflows/webhooks";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";
import { retryDelaySeconds } from "./events";

/** How long one drain message works before it hands the rest to the next message. */
const DRAIN_BUDGET_MS = 20_000;

function isWorkflowJob(body: unknown): body is WorkflowJob {
  const b = body as Partial<Record<string, unknown>> | null;
  if (b?.type === "advance") return Array.isArray(b.ids) && b.ids.every((id) => typeof id === "string");
  if (b?.type === "drain") return typeof b.workflowId === "string";
  if (b?.type === "event")
    return typeof b.subscriberId === "string" && typeof b.name === "string" && typeof b.id === "string";
  if (b?.type === "webhook") return Number.isSafeInteger(b.callId);
  return false;
}

/**
 * The workflows queue: `advance` moves the runs a timer or an entry named, `drain` every due run
 * of a workflow (a mass entry, a resume, the cron's safety net), `event` a custom event,
 * `webhook` one webhook node's call. All `advance` messages of a batch go as one advance (runs
 * on the same node move in one statement); the rest one by one. Everything is fenced or keyed,
 * so a message delivered twice changes nothing more; a failure retries that message with backoff.
 */
export const workflowsConsumer: QueueConsumer = async (batch, env: Env) => {
  const conn = openDbFor(env);
  const ctx: DomainContext = { db: conn.db, actor: systemActor("workflows"), queues: queuesOf(env) };
  try {
    const advances = batch.messages.filter((m) => (m.body as { type?: string } | null)?.type === "advance");
    if (advances.length > 0) {
      const ids = [
        ...new Set(
          advances.flatMap((m) => (isWorkflowJob(m.body) && m.body.type === "advance" ? m.body.ids : [])),
        ),
      ];
      await settle(advances, () => advanceRuns(ctx, ids));
    }
    for (const msg of batch.messages) {
      if (msg.body && (msg.body as { type?: string }).type === "advance") continue;
      await settle([msg], () => handle(ctx, env, msg.body));
    }
    // Outgoing webhooks (workflow.entered, converted, exited) these runs queued: woken now.
    await wakeDueEndpoints(ctx.db, ctx.queues?.webhooks).catch((err: unknown) =>
      console.error(`workflows queue: webhook senders not woken: ${String(err)}`),
    );
  } finally {
    await conn.close();
  }
};

async function handle(ctx: DomainContext, env: Env, body: unknown): Promise<unknown> {
  if (!isWorkflowJob(body)) {
    console.error("workflows queue: dropping a malformed message");
    return null;
  }
  if (body.type === "drain") {
    const done = await drainWorkflow(ctx, body.workflowId, DRAIN_BUDGET_MS);
    if (done.more) await ctx.queues?.workflows.send({ type: "drain", workflowId: body.workflowId });
    return done;
  }
  if (body.type === "event") return handleEvent(ctx, body);
  if (body.type === "webhook") return deliverWebhookCall(ctx, env, body.callId);
  return advanceRuns(ctx, body.ids);
}

async function settle(messages: readonly Message<unknown>[], work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
    for (const m of messages) m.ack();
  } catch (err) {
    const attempts = Math.max(...messages.map((m) => m.attempts));
    const delaySeconds = retryDelaySeconds(attempts);
    console.error(
      `workflows queue: ${messages.length} message(s) failed (attempt ${attempts}), retry in ${delaySeconds} s: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
    for (const m of messages) m.retry({ delaySeconds });
  }
}
