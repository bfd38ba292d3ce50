import { and, eq, isNull, sql } from "drizzle-orm";
import { campaigns, campaignVariants } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { JobQueue } from "../context";
import type { SendJob } from "../jobs";
import { completeIfDone, enqueueChunks, enqueueSendJobs } from "../sending/chunks";
import { lockCampaign } from "./campaigns";

/** Below this many sends per variant, or this many metric events in all, the test says nothing. */
export const MIN_SENDS_PER_VARIANT = 20;
export const MIN_METRIC_EVENTS = 5;

export interface VariantScore {
  id: string;
  name: string;
  position: number;
  sent: number;
  uniqueOpens: number;
  uniqueClicks: number;
}

export interface WinnerChoice {
  winnerId: string;
  reason: string;
}

/**
 * Picks the winner by human unique opens or clicks per message sent (machine opens and scanner
 * clicks never count: `sends.opened_at`/`clicked_at` are set by human events only). A tie or a
 * sample too small to tell falls back to the first variant and says so.
 */
export function chooseWinner(scores: VariantScore[], metric: "opens" | "clicks"): WinnerChoice {
  const ordered = [...scores].sort((a, b) => a.position - b.position);
  const first = ordered[0];
  if (!first) throw new Error("an A/B test without variants");
  const value = (s: VariantScore) => (metric === "opens" ? s.uniqueOpens : s.uniqueClicks);
  const events = ordered.reduce((n, s) => n + value(s), 0);
  if (ordered.some((s) => s.sent < MIN_SENDS_PER_VARIANT) || events < MIN_METRIC_EVENTS) {
    return {
      winnerId: first.id,
      reason: `Sample too small to tell (${events} unique ${metric}, ${Math.min(...ordered.map((s) => s.sent))} sends in the smallest variant): sent "${first.name}", the first variant`,
    };
  }
  const rate = (s: VariantScore) => value(s) / s.sent;
  const best = Math.max(...ordered.map(rate));
  const leaders = ordered.filter((s) => Math.abs(rate(s) - best) < 1e-12);
  const pct = (s: VariantScore) => `${(rate(s) * 100).toFixed(1)}%`;
  const summary = ordered.map((s) => `${s.name} ${pct(s)}`).join(", ");
  if (leaders.length > 1) {
    return {
      winnerId: first.id,
      reason: `Tie on unique ${metric} per send (${summary}): sent "${first.name}", the first variant`,
    };
  }
  const winner = leaders[0] ?? first;
  return { winnerId: winner.id, reason: `"${winner.name}" won on unique ${metric} per send (${summary})` };
}

/** Each variant's test results, from the ledger (exact: one row per send). */
export async function variantScores(db: Database, campaignId: string): Promise<VariantScore[]> {
  const rows = await queryRows<{
    id: string;
    name: string;
    position: number;
    sent: number;
    opens: number;
    clicks: number;
  }>(
    db,
    sql`select v.id, v.name, v.position,
        count(s.id) filter (where s.sent_at is not null)::int as sent,
        count(s.opened_at)::int as opens, count(s.clicked_at)::int as clicks
      from ${campaignVariants} v left join ${sends} s on s.variant_id = v.id and s.campaign_id = v.campaign_id
      where v.campaign_id = ${campaignId}::uuid
      group by v.id, v.name, v.position`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    position: r.position,
    sent: r.sent,
    uniqueOpens: r.opens,
    uniqueClicks: r.clicks,
  }));
}

/**
 * Ends the test phase: picks and records the winner, gives the rest of the audience the winning
 * variant, and opens the main-phase chunks. Returns their seqs to enqueue (none when the test
 * was already decided, or the campaign is not testing any more).
 */
export async function decideAbTest(db: Database, campaignId: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (campaign.status !== "testing" || !campaign.abTest || !campaign.frozenAt) return [];
    const choice = chooseWinner(await variantScores(tx, campaignId), campaign.abTest.metric);
    await tx.update(campaignVariants).set({ isWinner: true }).where(eq(campaignVariants.id, choice.winnerId));
    await tx
      .update(sends)
      .set({ variantId: choice.winnerId })
      .where(and(eq(sends.campaignId, campaignId), isNull(sends.variantId)));
    await tx
      .update(campaigns)
      .set({ status: "sending", winnerReason: choice.reason })
      .where(eq(campaigns.id, campaignId));
    const chunks = await tx
      .update(sendChunks)
      .set({ status: "queued", enqueuedAt: sql`now()` })
      .where(
        and(
          eq(sendChunks.campaignId, campaignId),
          eq(sendChunks.phase, "main"),
          eq(sendChunks.status, "pending"),
        ),
      )
      .returning({ seq: sendChunks.seq });
    await emitAudit(tx, systemActor("ab-test"), {
      action: "campaign.ab_winner",
      entity: "campaign",
      entityId: campaignId,
      before: { status: "testing" },
      after: { status: "sending", winnerId: choice.winnerId, winnerReason: choice.reason },
    });
    return chunks.map((c) => c.seq);
  });
}

/**
 * The winner job of an A/B test whose wait is over: picks the winner, gives it the rest of the
 * audience and puts the main chunks on the queue (or ends the campaign when there are none).
 */
export async function concludeAbTest(
  db: Database,
  queue: JobQueue<SendJob>,
  campaignId: string,
): Promise<void> {
  await enqueueChunks(db, queue, campaignId, await decideAbTest(db, campaignId));
  await completeIfDone(db, campaignId);
}

/** The cron's part: a winner job for each test whose wait is over. */
export async function queueDueWinners(db: Database, queue: JobQueue<SendJob>): Promise<number> {
  const due = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(sql`${campaigns.status} = 'testing'`, sql`${campaigns.testEndsAt} <= now()`));
  await enqueueSendJobs(
    queue,
    due.map(({ id }) => ({ type: "winner", campaignId: id })),
  );
  return due.length;
}
