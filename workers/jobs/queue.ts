import type { Env } from "../env";
import type { QueueConsumer } from "./consumer";
import { emailEventsConsumer } from "./email-events";
import { eventsConsumer } from "./events";
import { importsConsumer } from "./imports";
import { deadSendsConsumer, sendsConsumer } from "./sends";
import { deadWebhooksConsumer, webhooksConsumer } from "./webhooks";
import { workflowsConsumer } from "./workflows";

/**
 * Consumers by queue name (dead-letter queues included). A queue without a consumer yet keeps its
 * messages: they are retried and, once exhausted, land in that queue's dead-letter queue.
 */
const consumers: Record<string, QueueConsumer> = {
  "edgepost-email-events": emailEventsConsumer,
  "edgepost-events": eventsConsumer,
  "edgepost-imports": importsConsumer,
  "edgepost-sends": sendsConsumer,
  "edgepost-sends-dlq": deadSendsConsumer,
  "edgepost-webhooks": webhooksConsumer,
  "edgepost-webhooks-dlq": deadWebhooksConsumer,
  "edgepost-workflows": workflowsConsumer,
};

export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const consumer = consumers[batch.queue.replace(/-(preview|staging)$/, "")];
  if (!consumer) {
    console.error(
      `queue ${batch.queue}: no consumer in this version; ${batch.messages.length} message(s) retried`,
    );
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  await consumer(batch, env, ctx);
}
