import { concludeAbTest } from "../domain/campaigns/ab-test";
import { beginSending } from "../domain/campaigns/freeze";
import { type JobQueue, queuesOf } from "../domain/context";
import type { SendJob } from "../domain/jobs";
import { markChunkDead, noteChunkError } from "../domain/sending/chunks";
import { leaseSeconds } from "../domain/sending/lease";
import { type SendingLane, SendingSession, workChunk } from "../domain/sending/session";
import { retryTransactional } from "../domain/sending/transactional";
import { markTransactionalDead } from "../domain/sending/transactional-ledger";
import { wakeDueEndpoints } from "../domain/webhooks/emit";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";
import { AppError } from "../lib/errors";
import type { QueueConsumer } from "./consumer";

/**
 * Chunks sent at once per batch, each on its own database connection and SMTP connection. The
 * local queue hands out one batch at a time, and one isolate's CPU is shared anyway: a few lanes
 * keep the CPU busy while others wait on the relay or the database.
 */
const LANES = 4;

function isSendJob(body: unknown): body is SendJob {
  const b = body as Partial<Record<string, unknown>> | null;
  if (b?.type === "transactional") return Number.isSafeInteger(b.sendId);
  if (b?.type === "sends")
    return Array.isArray(b.sendIds) && b.sendIds.every((id) => Number.isSafeInteger(id));
  if (!b || typeof b.campaignId !== "string") return false;
  return b.type === "start" || b.type === "winner" || (b.type === "chunk" && Number.isInteger(b.seq));
}

/**
 * The sends queue: `start` freezes a campaign's audience and queues its chunks, `chunk` sends
 * one chunk, `winner` ends an A/B test, `transactional` (re)tries one transactional send. Each
 * message is one domain call, acknowledged on its own; a failure retries only that message with
 * backoff, and after the queue's retries it lands in the dead-letter queue.
 */
export const sendsConsumer: QueueConsumer = async (batch, env) => {
  const session = new SendingSession(env);
  const queue = [...batch.messages];
  const lane = async () => {
    const conn = openDbFor(env);
    const own: SendingLane = { db: conn.db, smtp: new Map() };
    try {
      for (let msg = queue.shift(); msg; msg = queue.shift()) await handle(session, own, msg);
      // Outgoing webhooks (email.sent) the sends queued: woken now rather than by the next cron tick.
      await wakeDueEndpoints(conn.db, queuesOf(env).webhooks).catch((err: unknown) =>
        console.error(`sends queue: webhook senders not woken: ${String(err)}`),
      );
    } finally {
      await Promise.all([...own.smtp.values()].map((l) => l.close()));
      await conn.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, queue.length) }, lane));
};

async function handle(session: SendingSession, lane: SendingLane, msg: Message<unknown>) {
  const { env } = session;
  const { db } = lane;
  if (!isSendJob(msg.body)) {
    console.error(`sends queue: dropping malformed message ${msg.id}`);
    msg.ack();
    return;
  }
  const job = msg.body;
  const sends = queuesOf(env).sends;
  try {
    if (job.type === "transactional") await trySingle(env, lane, sends, job.sendId, job.input);
    else if (job.type === "sends") {
      for (const sendId of job.sendIds) await trySingle(env, lane, sends, sendId);
    } else if (job.type === "start") await beginSending(db, sends, job.campaignId);
    else if (job.type === "winner") await concludeAbTest(db, sends, job.campaignId);
    else await workChunk(session, lane, sends, job);
    msg.ack();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const what =
      job.type === "transactional"
        ? `send ${job.sendId}`
        : job.type === "sends"
          ? `sends ${job.sendIds.join(", ")}`
          : `campaign ${job.campaignId}`;
    console.error(`sends queue: ${job.type} of ${what} failed (attempt ${msg.attempts}): ${reason}`);
    if (job.type === "chunk")
      await noteChunkError(db, job.campaignId, job.seq, reason).catch(() => undefined);
    msg.retry({ delaySeconds: Math.min(300, 5 * 2 ** msg.attempts) });
  }
}

/**
 * One single send (transactional or a workflow's) from the ledger, on the lane's SMTP connection.
 * Refused for good or out of attempts: recorded in the ledger, nothing left to retry. A database
 * failure is not an AppError: it is thrown, and the queue retries the message (a send already
 * done is final in the ledger and is not claimed again).
 */
async function trySingle(
  env: Env,
  lane: SendingLane,
  sends: JobQueue<SendJob>,
  sendId: number,
  input?: unknown,
) {
  await retryTransactional(lane.db, env, sends, { sendId, input }, leaseSeconds(env), lane.smtp).catch(
    (err: unknown) => {
      if (!(err instanceof AppError)) throw err;
      console.error(`sends queue: send ${sendId}: ${err.message}`);
    },
  );
}

/**
 * The sends dead-letter queue: a chunk whose message failed every retry is marked `dead` (shown
 * with a retry action); a transactional send that did is marked failed unless a live sender holds
 * it. Nothing is lost or silently dropped.
 */
export const deadSendsConsumer: QueueConsumer = async (batch, env) => {
  const conn = openDbFor(env);
  try {
    for (const msg of batch.messages) {
      const job = msg.body;
      if (isSendJob(job) && job.type === "chunk") await markChunkDead(conn.db, job.campaignId, job.seq);
      else if (isSendJob(job) && job.type === "transactional")
        await markTransactionalDead(conn.db, job.sendId, leaseSeconds(env));
      else if (isSendJob(job) && job.type === "sends")
        for (const sendId of job.sendIds) await markTransactionalDead(conn.db, sendId, leaseSeconds(env));
      else console.error(`sends dead-letter queue: ${JSON.stringify(job).slice(0, 300)}`);
      msg.ack();
    }
  } finally {
    await conn.close();
  }
};
