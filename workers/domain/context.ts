import type { Env } from "../env";
import type { Database } from "../lib/db";
import type { Actor } from "./actor";
import type { ImportChunkMessage, SendJob } from "./jobs";

/** Where a domain function leaves work for a consumer. A Cloudflare Queue binding is one. */
export interface JobQueue<T> {
  send(body: T, options?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<{ body: T; delaySeconds?: number }>): Promise<unknown>;
}

export interface Queues {
  sends: JobQueue<SendJob>;
  imports: JobQueue<ImportChunkMessage>;
}

/**
 * What every domain function is called with: the database handle of the request or job, who acts
 * (for roles and the audit log), and the queues when it may leave work for later. Set once per
 * request by the API's middleware (`c.var.ctx`), once per batch by the consumers and the cron.
 */
export interface DomainContext {
  db: Database;
  actor: Actor;
  queues?: Queues;
}

/** The Worker's queue bindings as the domain's ports. */
export function queuesOf(env: Pick<Env, "SENDS_QUEUE" | "IMPORTS_QUEUE">): Queues {
  return { sends: env.SENDS_QUEUE, imports: env.IMPORTS_QUEUE };
}

/** The queues of a context that must have them (a missing one is a wiring bug, not user input). */
export function queuesIn(ctx: DomainContext): Queues {
  if (!ctx.queues) throw new Error("this operation leaves work on a queue: call it with ctx.queues");
  return ctx.queues;
}
