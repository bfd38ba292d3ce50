import type { DomainContext, JobQueue } from "../context";
import type { SendJob, WorkflowJob } from "../jobs";
import { enqueueSendJobs } from "../sending/chunks";
import type { Effects } from "./steps";

/** A timer closer than this is not worth a Durable Object call: the next round or sweep takes it. */
const ARM_AFTER_MS = 1000;

/**
 * After the steps' transactions: their messages go on the sends queue, their wake-ups to the
 * timers, their webhook calls on the workflows queue. Each is already recorded in a table, so a
 * message lost here is found again by the cron (stranded sends, overdue runs, pending calls).
 */
export async function flushEffects(ctx: DomainContext, effects: Effects): Promise<void> {
  const queues = ctx.queues;
  if (!queues) return;
  const soon = Date.now() + ARM_AFTER_MS;
  const timers = effects.timers.filter((t) => t.at > soon);
  await Promise.all([
    enqueueSendJobs(queues.sends, sendGroups(effects.sendIds)),
    timers.length > 0 && queues.timers ? queues.timers.arm(timers) : undefined,
    queueWebhookCalls(queues.workflows, effects.webhookIds),
  ]);
}

/**
 * Sends per queue message: one lane tries them in order over one SMTP connection, and the sends
 * queue's lanes take several messages at once. Small enough that a message is done well within
 * its lease; each send is claimed on its own, so a redelivered message sends nothing twice.
 */
const SENDS_PER_MESSAGE = 25;

function sendGroups(ids: number[]): SendJob[] {
  const jobs: SendJob[] = [];
  for (let k = 0; k < ids.length; k += SENDS_PER_MESSAGE)
    jobs.push({ type: "sends", sendIds: ids.slice(k, k + SENDS_PER_MESSAGE) });
  return jobs;
}

/** Webhook calls on the workflows queue, 100 messages per batch (the queue's limit). */
export async function queueWebhookCalls(queue: JobQueue<WorkflowJob>, callIds: number[]): Promise<void> {
  for (let k = 0; k < callIds.length; k += 100)
    await queue.sendBatch(
      callIds.slice(k, k + 100).map((callId) => ({ body: { type: "webhook" as const, callId } })),
    );
}
