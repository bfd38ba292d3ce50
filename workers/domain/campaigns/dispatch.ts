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

/** Marks a campaign sent once every chunk is done (and it is not waiting for an A/B winner). */
export async function completeIfDone(db: Database, campaignId: string): Promise<boolean> {
  const done = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({
        status: "sent",
        finishedAt: sql`now()`,
        // The running counters are incremented per batch; at the end they are made exact.
        // Accepted by the relay, including those a DSN later turned into bounces.
        sentCount: sql`(select count(*)::int from ${sends} where campaign_id = ${campaignId}::uuid and sent_at is not null)`,
        failedCount: sql`(select count(*)::int from ${sends} where campaign_id = ${campaignId}::uuid and status = 'failed')`,
        bounceCount: sql`(select count(*)::int from ${sends} where campaign_id = ${campaignId}::uuid and status = 'bounced')`,
      })
      .where(
        and(
          eq(campaigns.id, campaignId),
          eq(campaigns.status, "sending"),
          sql`${campaigns.frozenAt} is not null`,
          sql`not exists (select 1 from ${sendChunks} k where k.campaign_id = ${campaigns.id} and k.status <> 'done')`,
        ),
      )
      .returning({ id: campaigns.id, sentCount: campaigns.sentCount });
    if (row) {
      await emitAudit(tx, systemActor("sender"), {
        action: "campaign.sent",
        entity: "campaign",
        entityId: campaignId,
        after: { status: "sent", sentCount: row.sentCount },
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
