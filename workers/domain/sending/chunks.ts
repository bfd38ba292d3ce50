import { and, eq, inArray, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { JobQueue } from "../context";
import type { SendJob } from "../jobs";
import { emitCampaignEvent } from "../webhooks/emit";

/**
 * The life of a chunk (a range of one campaign's ledger rows, one queue message): put on the
 * queue, taken by a consumer, sent again later, dead after the queue's retries, found stalled by
 * the cron, and the campaign ended once every chunk is done. The send_chunks table, not the queue,
 * is the truth: a lost message is found again.
 */

export interface ChunkRef {
  seq: number;
  first: number;
  last: number;
}

/** Queues allow 100 messages per sendBatch call. */
export async function enqueueSendJobs(
  queue: JobQueue<SendJob>,
  jobs: SendJob[],
  delaySeconds?: number,
): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) {
    await queue.sendBatch(
      jobs.slice(i, i + 100).map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })),
    );
  }
}

/** Marks chunks as out on the queue (for the janitor's lease) and puts their messages there. */
export async function enqueueChunks(
  db: Database,
  queue: JobQueue<SendJob>,
  campaignId: string,
  seqs: number[],
  delaySeconds = 0,
): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .update(sendChunks)
    .set({ status: "queued", enqueuedAt: sql`now() + make_interval(secs => ${delaySeconds})` })
    .where(
      and(
        eq(sendChunks.campaignId, campaignId),
        inArray(sendChunks.seq, seqs),
        sql`${sendChunks.status} <> 'done'`,
      ),
    );
  await enqueueSendJobs(
    queue,
    seqs.map((seq) => ({ type: "chunk", campaignId, seq })),
    delaySeconds,
  );
}

/**
 * A consumer takes a chunk: counts the delivery and notes the time. Null when it is done, dead or
 * unknown (a duplicate or stale message: nothing to do).
 */
export async function takeChunk(db: Database, campaignId: string, seq: number): Promise<ChunkRef | null> {
  const [chunk] = await db
    .update(sendChunks)
    .set({ attempts: sql`${sendChunks.attempts} + 1`, enqueuedAt: sql`now()` })
    .where(
      and(eq(sendChunks.campaignId, campaignId), eq(sendChunks.seq, seq), eq(sendChunks.status, "queued")),
    )
    .returning();
  return chunk ? { seq: chunk.seq, first: chunk.firstSendId, last: chunk.lastSendId } : null;
}

/** A heartbeat for the janitor: this chunk is being worked on (its message is not lost). */
export async function touchChunk(db: Database, campaignId: string, seq: number): Promise<void> {
  await db
    .update(sendChunks)
    .set({ enqueuedAt: sql`now()` })
    .where(and(eq(sendChunks.campaignId, campaignId), eq(sendChunks.seq, seq)));
}

/** The chunk's last error, for the dashboard, while the queue retries its message. */
export async function noteChunkError(db: Database, campaignId: string, seq: number, reason: string) {
  await db
    .update(sendChunks)
    .set({ lastError: reason.slice(0, 1000) })
    .where(and(eq(sendChunks.campaignId, campaignId), eq(sendChunks.seq, seq)));
}

/** Every row of the chunk is final. */
export async function finishChunk(db: Database, campaignId: string, seq: number): Promise<void> {
  await db
    .update(sendChunks)
    .set({ status: "done", doneAt: sql`now()`, lastError: null })
    .where(and(eq(sendChunks.campaignId, campaignId), eq(sendChunks.seq, seq)));
}

/** The chunk's message failed every retry: `dead`, shown with a retry action, never dropped. */
export async function markChunkDead(db: Database, campaignId: string, seq: number): Promise<void> {
  await db
    .update(sendChunks)
    .set({ status: "dead", lastError: sql`coalesce(${sendChunks.lastError}, 'retries exhausted')` })
    .where(
      and(
        eq(sendChunks.campaignId, campaignId),
        eq(sendChunks.seq, seq),
        sql`${sendChunks.status} <> 'done'`,
      ),
    );
}

/**
 * Ends a campaign once every chunk is done (and it is not waiting for an A/B winner): `sent`, or
 * `failed` when nothing at all was accepted although messages were tried (a template that cannot
 * render, a relay refusing every one), with the most frequent error as the reason.
 */
export async function completeIfDone(db: Database, campaignId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ sent_count: number; status: string; failure_reason: string | null }>(
      tx,
      sql`
      with counts as (
        -- Accepted by the relay, including those a DSN later turned into bounces.
        select count(*) filter (where sent_at is not null)::int as sent,
          count(*) filter (where status = 'failed')::int as failed,
          count(*) filter (where status = 'bounced')::int as bounced
        from ${sends} where campaign_id = ${campaignId}::uuid
      ), top_error as (
        select last_error from ${sends}
        where campaign_id = ${campaignId}::uuid and status in ('failed', 'bounced') and last_error is not null
        group by last_error order by count(*) desc limit 1
      )
      update ${campaigns} c set
        status = case when counts.sent = 0 and counts.failed + counts.bounced > 0
          then 'failed'::campaign_status else 'sent'::campaign_status end,
        failure_reason = case when counts.sent = 0 and counts.failed + counts.bounced > 0
          then 'No message was accepted: ' || (counts.failed + counts.bounced) || ' failed. Most frequent error: '
            || coalesce((select last_error from top_error), 'unknown') end,
        finished_at = now(),
        -- The running counters are incremented per batch; at the end they are made exact.
        sent_count = counts.sent, failed_count = counts.failed, bounce_count = counts.bounced
      from counts
      where c.id = ${campaignId}::uuid and c.status = 'sending' and c.frozen_at is not null
        and not exists (select 1 from ${sendChunks} k where k.campaign_id = c.id and k.status <> 'done')
      returning c.sent_count, c.status, c.failure_reason`,
    );
    if (!row) return false;
    await emitAudit(tx, systemActor("sender"), {
      action: row.status === "failed" ? "campaign.failed" : "campaign.sent",
      entity: "campaign",
      entityId: campaignId,
      after: { status: row.status, sentCount: row.sent_count, failureReason: row.failure_reason },
    });
    if (row.status === "sent") await emitCampaignEvent({ db: tx }, "campaign.sent", campaignId);
    return true;
  });
}

/**
 * The cron's janitor: chunks whose message has been out longer than the lease without finishing
 * (a lost message, a crashed consumer) go back on the queue; campaigns started but never frozen
 * get their start again; campaigns whose every chunk is done are ended. Returns what it did.
 */
export async function requeueStalledSends(
  db: Database,
  queue: JobQueue<SendJob>,
  leaseSeconds: number,
): Promise<{ starts: number; chunks: number; finished: number }> {
  const starts = await queryRows<{ id: string }>(
    db,
    sql`select id from ${campaigns} where status in ('sending', 'testing') and frozen_at is null
      and started_at < now() - make_interval(secs => ${leaseSeconds})`,
  );
  await enqueueSendJobs(
    queue,
    starts.map((r) => ({ type: "start", campaignId: r.id })),
  );
  const stalled = await queryRows<{ campaign_id: string; seq: number }>(
    db,
    sql`select k.campaign_id, k.seq from ${sendChunks} k join ${campaigns} c on c.id = k.campaign_id
      where k.status = 'queued' and k.enqueued_at < now() - make_interval(secs => ${leaseSeconds})
        and c.status in ('sending', 'testing')
      order by k.enqueued_at limit 1000`,
  );
  const byCampaign = new Map<string, number[]>();
  for (const c of stalled) byCampaign.set(c.campaign_id, [...(byCampaign.get(c.campaign_id) ?? []), c.seq]);
  for (const [campaignId, seqs] of byCampaign) await enqueueChunks(db, queue, campaignId, seqs);
  const finished = await queryRows<{ id: string }>(
    db,
    sql`select c.id from ${campaigns} c where c.status = 'sending' and c.frozen_at is not null
      and not exists (select 1 from ${sendChunks} k where k.campaign_id = c.id and k.status <> 'done')`,
  );
  let ended = 0;
  for (const { id } of finished) if (await completeIfDone(db, id)) ended++;
  return { starts: starts.length, chunks: stalled.length, finished: ended };
}

/**
 * The cron's release of local-time chunks: `pending` chunks of sending campaigns whose
 * `release_at` has come by `now` (the cron's scheduled time, so tests can move time forward) are
 * queued like any other chunk. A paused campaign's chunks stay pending and go at the first tick
 * after its resume; a cancelled campaign's were closed by the cancel. Returns how many it queued.
 */
export async function releaseDueChunks(db: Database, queue: JobQueue<SendJob>, now: Date): Promise<number> {
  const released = await queryRows<{ campaign_id: string; seq: number }>(
    db,
    sql`update ${sendChunks} k set status = 'queued', enqueued_at = now()
      from ${campaigns} c
      where c.id = k.campaign_id and c.status = 'sending' and k.status = 'pending'
        and k.release_at is not null and k.release_at <= ${now.toISOString()}::timestamptz
      returning k.campaign_id, k.seq`,
  );
  await enqueueSendJobs(
    queue,
    released.map((r) => ({ type: "chunk", campaignId: r.campaign_id, seq: r.seq })),
  );
  return released.length;
}
