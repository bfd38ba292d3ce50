import type { Env } from "../env";

/** A consumer for one queue's batches (the dispatcher in queue.ts picks it by queue name). */
export type QueueConsumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;
