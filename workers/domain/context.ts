import type { Env } from "../env";
import type { Database } from "../lib/db";
import type { Actor } from "./actor";
import type { ImportChunkMessage, SendJob, WebhookJob, WorkflowJob } from "./jobs";

/** Where a domain function leaves work for a consumer. A Cloudflare Queue binding is one. */
export interface JobQueue<T> {
  send(body: T, options?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<{ body: T; delaySeconds?: number }>): Promise<unknown>;
}

/** Wake-up calls for waiting workflow runs (the timer Durable Objects). */
export interface Timers {
  arm(due: { id: string; at: number }[]): Promise<void>;
}

export interface Queues {
  sends: JobQueue<SendJob>;
  imports: JobQueue<ImportChunkMessage>;
  workflows: JobQueue<WorkflowJob>;
  /** Outgoing webhooks; absent where nothing wakes senders at once (the cron's sweep does). */
  webhooks?: JobQueue<WebhookJob>;
  /** Absent where nothing arms timers (tests): the cron's overdue sweep wakes the runs instead. */
  timers?: Timers;
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

/** The Worker's queue bindings (and the timer shards) as the domain's ports. */
export function queuesOf(
  env: Pick<Env, "SENDS_QUEUE" | "IMPORTS_QUEUE" | "WORKFLOWS_QUEUE" | "WORKFLOW_INSTANCE"> &
    Partial<Pick<Env, "WEBHOOKS_QUEUE">>,
): Queues {
  return {
    sends: env.SENDS_QUEUE,
    imports: env.IMPORTS_QUEUE,
    workflows: env.WORKFLOWS_QUEUE,
    webhooks: env.WEBHOOKS_QUEUE,
    timers: timerShards(env.WORKFLOW_INSTANCE),
  };
}

/** How many timer Durable Objects share the runs (by a hash of the run id). */
export const TIMER_SHARDS = 16;

/** The shape of a timer Durable Object's stub this module needs (objects/ implements it). */
interface TimerStub {
  arm(due: { id: string; at: number }[]): Promise<unknown>;
}
interface TimerNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): unknown;
}

function timerShards(ns: TimerNamespace): Timers {
  return {
    async arm(due) {
      const byShard = new Map<number, { id: string; at: number }[]>();
      for (const d of due) {
        const shard = shardOf(d.id);
        byShard.set(shard, [...(byShard.get(shard) ?? []), d]);
      }
      await Promise.all(
        [...byShard].map(([shard, list]) =>
          (ns.get(ns.idFromName(`timers-${shard}`)) as TimerStub).arm(list),
        ),
      );
    },
  };
}

function shardOf(id: string): number {
  let h = 0;
  for (let k = 0; k < id.length; k++) h = (h * 31 + id.charCodeAt(k)) | 0;
  return Math.abs(h) % TIMER_SHARDS;
}

/** The queues of a context that must have them (a missing one is a wiring bug, not user input). */
export function queuesIn(ctx: DomainContext): Queues {
  if (!ctx.queues) throw new Error("this operation leaves work on a queue: call it with ctx.queues");
  return ctx.queues;
}
