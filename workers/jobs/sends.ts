import { and, eq, sql } from "drizzle-orm";
import { sendChunks } from "../../schema/sends";
import { decideAbTest } from "../domain/campaigns/ab-test";
import { type CampaignView, getCampaign } from "../domain/campaigns/campaigns";
import {
  chunkJobs,
  completeIfDone,
  enqueueJobs,
  freezeCampaign,
  markChunksQueued,
  type SendJob,
} from "../domain/campaigns/dispatch";
import { runCampaignChunk } from "../domain/sending/campaign-chunk";
import { type CampaignSendContext, campaignContext } from "../domain/sending/campaign-context";
import { leaseSeconds } from "../domain/sending/lease";
import { RelayBudget } from "../domain/sending/relays/limiter";
import { SmtpLane } from "../domain/sending/relays/smtp-lane";
import { deliverTransactional, type TransactionalJob } from "../domain/sending/transactional";
import { markTransactionalDead } from "../domain/sending/transactional-ledger";
import type { Env } from "../env";
import { type Database, openDbFor } from "../lib/db";
import { AppError } from "../lib/errors";
import type { QueueConsumer } from "./consumer";

/**
 * Chunks sent at once per batch, each on its own database connection and SMTP connection. The
 * local queue hands out one batch at a time, and one isolate's CPU is shared anyway: a few lanes
 * keep the CPU busy while others wait on the relay or the database.
 */
const LANES = 4;

type Job = SendJob | TransactionalJob;

function isSendJob(body: unknown): body is Job {
  const t = body as Partial<TransactionalJob> | null;
  if (t?.type === "transactional") return Number.isSafeInteger(t.sendId);
  const b = body as Partial<SendJob> | null;
  if (!b || typeof b.campaignId !== "string") return false;
  return b.type === "start" || b.type === "winner" || (b.type === "chunk" && Number.isInteger(b.seq));
}

/** What one batch shares between its lanes: campaign settings, relay budgets, SMTP connections. */
class BatchState {
  private campaigns = new Map<string, Promise<{ campaign: CampaignView; ctx: CampaignSendContext }>>();
  private budgets = new Map<string, RelayBudget>();

  constructor(readonly env: Env) {}

  campaign(db: Database, id: string) {
    let hit = this.campaigns.get(id);
    if (!hit) {
      hit = (async () => {
        const campaign = await getCampaign(db, id);
        return { campaign, ctx: await campaignContext(db, this.env, campaign) };
      })();
      hit.catch(() => this.campaigns.delete(id));
      this.campaigns.set(id, hit);
    }
    return hit;
  }

  budget(ctx: CampaignSendContext): RelayBudget {
    let b = this.budgets.get(ctx.relay.id);
    if (!b) {
      b = new RelayBudget(this.env, ctx.relay);
      this.budgets.set(ctx.relay.id, b);
    }
    return b;
  }
}

/**
 * The sends queue: `start` freezes a campaign's audience and queues its chunks, `chunk` sends
 * one chunk, `winner` ends an A/B test. Each message is acknowledged on its own; a failure
 * retries only that message with backoff, and after the queue's retries it lands in the
 * dead-letter queue (see `deadSendsConsumer`).
 */
export const sendsConsumer: QueueConsumer = async (batch, env) => {
  const state = new BatchState(env);
  const queue = [...batch.messages];
  const lane = async () => {
    const conn = openDbFor(env);
    const smtp = new Map<string, SmtpLane>();
    try {
      for (let msg = queue.shift(); msg; msg = queue.shift()) await handle(state, conn.db, smtp, msg);
    } finally {
      await Promise.all([...smtp.values()].map((l) => l.close()));
      await conn.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, queue.length) }, lane));
};

async function handle(state: BatchState, db: Database, smtp: Map<string, SmtpLane>, msg: Message<unknown>) {
  const { env } = state;
  if (!isSendJob(msg.body)) {
    console.error(`sends queue: dropping malformed message ${msg.id}`);
    msg.ack();
    return;
  }
  const job = msg.body;
  try {
    if (job.type === "transactional") {
      const { retry } = await deliverTransactional(db, env, job.sendId, leaseSeconds(env), job.input).catch(
        (err: unknown) => {
          // Refused for good or out of attempts: recorded in the ledger; nothing left to retry.
          // A database failure is not an AppError: it is thrown, and the queue retries the job.
          if (!(err instanceof AppError)) throw err;
          console.error(`sends queue: transactional send ${job.sendId}: ${err.message}`);
          return { retry: undefined };
        },
      );
      if (retry) await env.SENDS_QUEUE.send(retry.job, { delaySeconds: retry.delaySeconds });
    } else if (job.type === "start") {
      const seqs = await freezeCampaign(db, job.campaignId);
      await enqueueJobs(env.SENDS_QUEUE, chunkJobs(job.campaignId, seqs));
    } else if (job.type === "winner") {
      const seqs = await decideAbTest(db, job.campaignId);
      await enqueueJobs(env.SENDS_QUEUE, chunkJobs(job.campaignId, seqs));
      await completeIfDone(db, job.campaignId);
    } else {
      await sendChunk(state, db, smtp, job);
    }
    msg.ack();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const what = job.type === "transactional" ? `send ${job.sendId}` : `campaign ${job.campaignId}`;
    console.error(`sends queue: ${job.type} of ${what} failed (attempt ${msg.attempts}): ${reason}`);
    if (job.type === "chunk") {
      await db
        .update(sendChunks)
        .set({ lastError: reason.slice(0, 1000) })
        .where(and(eq(sendChunks.campaignId, job.campaignId), eq(sendChunks.seq, job.seq)))
        .catch(() => undefined);
    }
    msg.retry({ delaySeconds: Math.min(300, 5 * 2 ** msg.attempts) });
  }
}

async function sendChunk(
  state: BatchState,
  db: Database,
  smtp: Map<string, SmtpLane>,
  job: Extract<SendJob, { type: "chunk" }>,
): Promise<void> {
  const { env } = state;
  const [chunk] = await db
    .update(sendChunks)
    .set({ attempts: sql`${sendChunks.attempts} + 1`, enqueuedAt: sql`now()` })
    .where(
      and(
        eq(sendChunks.campaignId, job.campaignId),
        eq(sendChunks.seq, job.seq),
        eq(sendChunks.status, "queued"),
      ),
    )
    .returning();
  if (!chunk) return; // done, dead or unknown: a duplicate or stale message
  const { campaign, ctx } = await state.campaign(db, job.campaignId);
  let lane = smtp.get(ctx.relay.id);
  if (!lane) {
    lane = new SmtpLane(ctx.relay.smtp);
    smtp.set(ctx.relay.id, lane);
  }
  const result = await runCampaignChunk(
    { env, db, campaign, ctx, budget: state.budget(ctx), lane, leaseSeconds: leaseSeconds(env) },
    { seq: chunk.seq, first: chunk.firstSendId, last: chunk.lastSendId },
  );
  if (result.state === "later") {
    await markChunksQueued(db, job.campaignId, [job.seq], result.delaySeconds);
    await enqueueJobs(env.SENDS_QUEUE, [job], result.delaySeconds);
  } else if (result.state === "done") {
    await completeIfDone(db, job.campaignId);
  }
}

/**
 * The sends dead-letter queue: a chunk whose message failed every retry is marked `dead` with its
 * last error, so the dashboard shows it and offers to retry it; a transactional send that did is
 * marked failed (unless a live sender holds it). Nothing is lost or silently dropped.
 */
export const deadSendsConsumer: QueueConsumer = async (batch, env) => {
  const conn = openDbFor(env);
  try {
    for (const msg of batch.messages) {
      const job = msg.body;
      if (isSendJob(job) && job.type === "chunk") {
        await conn.db
          .update(sendChunks)
          .set({ status: "dead", lastError: sql`coalesce(${sendChunks.lastError}, 'retries exhausted')` })
          .where(
            and(
              eq(sendChunks.campaignId, job.campaignId),
              eq(sendChunks.seq, job.seq),
              sql`${sendChunks.status} <> 'done'`,
            ),
          );
      } else if (isSendJob(job) && job.type === "transactional") {
        await markTransactionalDead(conn.db, job.sendId, leaseSeconds(env));
      } else {
        console.error(`sends dead-letter queue: ${JSON.stringify(job).slice(0, 300)}`);
      }
      msg.ack();
    }
  } finally {
    await conn.close();
  }
};
