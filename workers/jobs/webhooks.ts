import { systemActor } from "../domain/actor";
import { queuesOf } from "../domain/context";
import { drainEndpoint } from "../domain/webhooks/deliver";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";

/**
 * The webhooks queue: each message names an endpoint whose sender should run. Senders of distinct
 * endpoints run side by side; an endpoint whose sender is already at work is skipped (its lease).
 * The deliveries table holds every retry and its time, so a message is only a wake-up: a failure
 * here retries the message, and the cron's sweep wakes anything a lost message left behind.
 */
export const webhooksConsumer: QueueConsumer = async (batch, env: Env) => {
  const ids = new Set<string>();
  for (const msg of batch.messages) {
    const id = (msg.body as { endpointId?: unknown } | null)?.endpointId;
    if (typeof id === "string") ids.add(id);
  }
  const conn = openDbFor(env);
  try {
    const ctx = { db: conn.db, actor: systemActor("webhooks"), queues: queuesOf(env) };
    await Promise.all([...ids].map((id) => drainEndpoint(ctx, env, id)));
    batch.ackAll();
  } catch (err) {
    console.error(
      `webhooks queue: sender failed, retried: ${err instanceof Error ? err.message : String(err)}`,
    );
    batch.retryAll({ delaySeconds: 10 });
  } finally {
    await conn.close();
  }
};

/** Wake-ups that failed their retries: nothing is lost (the cron's sweep re-finds due deliveries). */
export const deadWebhooksConsumer: QueueConsumer = async (batch) => {
  console.error(
    `webhooks dead-letter queue: ${batch.messages.length} wake-up(s) dropped; the cron re-finds due deliveries`,
  );
  batch.ackAll();
};
