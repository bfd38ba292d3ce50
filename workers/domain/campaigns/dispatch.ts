import { and, eq, inArray, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import { freezeAudience } from "./audience";
import { getCampaign, lockCampaign } from "./campaigns";

/** The messages of the sends queue. */
export type SendJob =
  | { type: "start"; campaignId: string }
  | { type: "chunk"; campaignId: string; seq: number }
  | { type: "winner"; campaignId: string };

/** After a state change: queue what it started (freeze) or reopened (chunks). */
export async function dispatchTransition(
  queue: Queue,
  db: Database,
  t: { campaign: { id: string }; start: boolean; requeue: number[] },
): Promise<void> {
  if (t.start) await enqueueJobs(queue, [{ type: "start", campaignId: t.campaign.id }]);
  if (t.requeue.length > 0) {
    await markChunksQueued(db, t.campaign.id, t.requeue);
    await enqueueJobs(queue, chunkJobs(t.campaign.id, t.requeue));
  }
}

/** Queues allow 100 messages per sendBatch call. */
export async function enqueueJobs(queue: Queue, jobs: SendJob[], delaySeconds?: number): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) {
    await queue.sendBatch(
      jobs.slice(i, i + 100).map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })),
    );
  }
}

export const chunkJobs = (campaignId: string, seqs: number[]): SendJob[] =>
  seqs.map((seq) => ({ type: "chunk", campaignId, seq }));

/**
 * Freezes a started campaign's audience into the ledger (once: a repeated start finds it frozen)
 * and opens the first phase's chunks: the test chunks of an A/B test, else all of them. Returns
 * the seqs to enqueue. An empty audience ends the campaign as sent.
 */
export async function freezeCampaign(db: Database, campaignId: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const before = await lockCampaign(tx, campaignId);
    if (before.frozenAt || (before.status !== "sending" && before.status !== "testing")) return [];
    const view = await getCampaign(tx, campaignId);
    const ab = before.abTest ? { test: before.abTest, variantIds: view.variants.map((v) => v.id) } : null;
    const frozen = await freezeAudience(
      tx,
      campaignId,
      { listIds: before.listIds, segmentId: before.segmentId },
      ab,
    );
    const empty = frozen.size === 0;
    await tx
      .update(campaigns)
      .set({
        audienceSize: frozen.size,
        frozenAt: sql`now()`,
        testEndsAt: ab ? sql`now() + make_interval(mins => ${ab.test.waitMinutes})` : null,
        ...(empty ? { status: "sent" as const, finishedAt: sql`now()` } : {}),
      })
      .where(eq(campaigns.id, campaignId));
    await emitAudit(tx, systemActor("sender"), {
      action: "campaign.freeze",
      entity: "campaign",
      entityId: campaignId,
      after: { audienceSize: frozen.size, testSize: frozen.testSize, chunks: frozen.chunks },
    });
    if (empty) return [];
    const opened = await tx
      .update(sendChunks)
      .set({ status: "queued", enqueuedAt: sql`now()` })
      .where(and(eq(sendChunks.campaignId, campaignId), eq(sendChunks.phase, ab ? "test" : "main")))
      .returning({ seq: sendChunks.seq });
    return opened.map((c) => c.seq);
  });
}

/**
 * Ends a campaign once every chunk is done (and it is not waiting for an A/B winner): `sent`, or
 * `failed` when nothing at all was accepted although messages were tried (a template that cannot
 * render, a relay refusing every one), with the most frequent error as the reason.
 */
export async function completeIfDone(db: Database, campaignId: string): Promise<boolean> {
  const done = await db.transaction(async (tx) => {
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
    if (row) {
      await emitAudit(tx, systemActor("sender"), {
        action: row.status === "failed" ? "campaign.failed" : "campaign.sent",
        entity: "campaign",
        entityId: campaignId,
        after: { status: row.status, sentCount: row.sent_count, failureReason: row.failure_reason },
      });
    }
    return row !== undefined;
  });
  return done;
}

/** Notes that a chunk's message is out (again), for the janitor's lease. */
export async function markChunksQueued(
  db: Database,
  campaignId: string,
  seqs: number[],
  delaySeconds = 0,
): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .update(sendChunks)
    .set({
      status: "queued",
      enqueuedAt: sql`now() + make_interval(secs => ${delaySeconds})`,
    })
    .where(
      and(
        eq(sendChunks.campaignId, campaignId),
        inArray(sendChunks.seq, seqs),
        sql`${sendChunks.status} <> 'done'`,
      ),
    );
}

/**
 * What the cron ticker hands to the queue: chunks whose message has been out longer than the lease
 * without finishing (a lost message, a crashed consumer), started campaigns never frozen, and
 * campaigns whose every chunk is done but were not marked sent.
 */
export async function findStalledWork(
  db: Database,
  leaseSeconds: number,
): Promise<{ starts: string[]; chunks: { campaignId: string; seq: number }[]; finished: string[] }> {
  const starts = await queryRows<{ id: string }>(
    db,
    sql`select id from ${campaigns} where status in ('sending', 'testing') and frozen_at is null
      and started_at < now() - make_interval(secs => ${leaseSeconds})`,
  );
  const chunks = await queryRows<{ campaign_id: string; seq: number }>(
    db,
    sql`select k.campaign_id, k.seq from ${sendChunks} k join ${campaigns} c on c.id = k.campaign_id
      where k.status = 'queued' and k.enqueued_at < now() - make_interval(secs => ${leaseSeconds})
        and c.status in ('sending', 'testing')
      order by k.enqueued_at limit 1000`,
  );
  const finished = await queryRows<{ id: string }>(
    db,
    sql`select c.id from ${campaigns} c where c.status = 'sending' and c.frozen_at is not null
      and not exists (select 1 from ${sendChunks} k where k.campaign_id = c.id and k.status <> 'done')`,
  );
  return {
    starts: starts.map((r) => r.id),
    chunks: chunks.map((r) => ({ campaignId: r.campaign_id, seq: r.seq })),
    finished: finished.map((r) => r.id),
  };
}
