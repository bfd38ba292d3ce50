import { and, eq, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sendChunks } from "../../../schema/sends";
import type { Database } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { JobQueue } from "../context";
import type { SendJob } from "../jobs";
import { enqueueChunks } from "../sending/chunks";
import { emitCampaignEvent } from "../webhooks/emit";
import { freezeAudience } from "./audience";
import { getCampaign, lockCampaign } from "./campaigns";
import { freezeLocalTime } from "./local-time";

/**
 * The start job of a campaign (the sends consumer runs it, not the request: freezing a large
 * audience is a long statement): freezes the audience and puts the first phase's chunks on the
 * queue. A repeated start finds the campaign frozen and does nothing.
 */
export async function beginSending(
  db: Database,
  queue: JobQueue<SendJob>,
  campaignId: string,
): Promise<void> {
  await enqueueChunks(db, queue, campaignId, await freezeCampaign(db, campaignId));
}

/**
 * Freezes a started campaign's audience into the ledger (once: a repeated start finds it frozen)
 * and opens the first phase's chunks: the test chunks of an A/B test, else all of them (for a
 * local-time campaign, those whose zone has reached the time: see local-time.ts). Returns
 * the seqs to enqueue. An empty audience ends the campaign as sent.
 */
export async function freezeCampaign(db: Database, campaignId: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const before = await lockCampaign(tx, campaignId);
    if (before.frozenAt || (before.status !== "sending" && before.status !== "testing")) return [];
    const view = await getCampaign(tx, campaignId);
    const ab = before.abTest ? { test: before.abTest, variantIds: view.variants.map((v) => v.id) } : null;
    const spec = { listIds: before.listIds, segmentId: before.segmentId };
    const frozen = before.localTime
      ? { ...(await freezeLocalTime(tx, campaignId, spec)), testSize: 0 }
      : await freezeAudience(tx, campaignId, spec, ab);
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
    await emitCampaignEvent({ db: tx }, "campaign.started", campaignId);
    if (empty) await emitCampaignEvent({ db: tx }, "campaign.sent", campaignId);
    if (empty) return [];
    const opened = await tx
      .update(sendChunks)
      .set({ status: "queued", enqueuedAt: sql`now()` })
      .where(
        and(
          eq(sendChunks.campaignId, campaignId),
          eq(sendChunks.phase, ab ? "test" : "main"),
          // Local-time chunks whose zone is not there yet wait for the cron (`releaseDueChunks`).
          sql`(${sendChunks.releaseAt} is null or ${sendChunks.releaseAt} <= now())`,
        ),
      )
      .returning({ seq: sendChunks.seq });
    return opened.map((c) => c.seq);
  });
}
