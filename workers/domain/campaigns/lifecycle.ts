import { and, eq, inArray, sql } from "drizzle-orm";
import { type CampaignStatus, campaigns, campaignVariants } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import { templates } from "../../../schema/templates";
import { queryRows } from "../../lib/db";
import { ConflictError, RuleError } from "../../lib/errors";
import { emitAudit } from "../audit";
import { assertValidContent, getTemplate } from "../content/templates";
import { type DomainContext, queuesIn } from "../context";
import { enqueueChunks, enqueueSendJobs } from "../sending/chunks";
import { emitCampaignEvent } from "../webhooks/emit";
import { countAudience } from "./audience";
import {
  assertNotArchived,
  type CampaignRow,
  type CampaignView,
  getCampaign,
  lockCampaign,
} from "./campaigns";

/** Which states each action may leave from; anything else is a 409 that says why. */
const FROM: Record<string, CampaignStatus[]> = {
  schedule: ["draft", "scheduled"],
  unschedule: ["scheduled"],
  send: ["draft", "scheduled"],
  pause: ["sending", "testing"],
  resume: ["paused"],
  cancel: ["scheduled", "sending", "testing", "paused"],
};

function assertFrom(action: keyof typeof FROM, row: CampaignRow): void {
  assertNotArchived(row);
  const allowed = FROM[action] ?? [];
  if (!allowed.includes(row.status)) {
    throw ConflictError(
      `Cannot ${action} a campaign that is ${row.status}; ${action} works from ${allowed.join(" or ")}`,
      { status: row.status, allowedFrom: allowed },
    );
  }
}

/**
 * Refuses to send what cannot go out well (422, naming the problem): no audience, a deleted or
 * invalid template (syntax, missing unsubscribe link), an A/B variant with a broken template.
 */
export async function assertSendable(db: DomainContext["db"], row: CampaignView): Promise<void> {
  assertNotArchived(row);
  if (row.listIds.length === 0 && !row.segmentId)
    throw RuleError("Choose the audience first: one or more lists, or a segment");
  const templateIds = [row.templateId, ...row.variants.flatMap((v) => (v.templateId ? [v.templateId] : []))];
  for (const id of new Set(templateIds)) {
    const t = await getTemplate(db, id).catch(() => null);
    if (!t) throw RuleError(`The template ${id} no longer exists`);
    assertValidContent({ subject: t.subject, html: t.html, text: t.text }, "campaign");
  }
  const audience = await countAudience(db, { listIds: row.listIds, segmentId: row.segmentId });
  if (audience === 0)
    throw RuleError("The audience is empty: nobody on these lists or in this segment can be mailed");
}

async function audit(
  tx: DomainContext["db"],
  actor: DomainContext["actor"],
  action: string,
  before: CampaignRow,
  after: object,
) {
  await emitAudit(tx, actor, {
    action: `campaign.${action}`,
    entity: "campaign",
    entityId: before.id,
    before,
    after,
  });
}

/**
 * Schedules (or reschedules) a draft for `sendAt`; the cron ticker starts it when due. With
 * `localTime`, each recipient gets it at `sendAt`'s wall-clock time in their own zone (local-time.ts).
 */
export async function scheduleCampaign(
  { db, actor }: DomainContext,
  id: string,
  input: { sendAt: string; timezone?: string; localTime?: boolean },
): Promise<CampaignView> {
  const sendAt = new Date(input.sendAt);
  if (sendAt.getTime() < Date.now() - 60_000) {
    throw RuleError("sendAt is in the past: send it now instead", [
      { path: ["sendAt"], message: "in the past" },
    ]);
  }
  if (input.timezone && !isTimeZone(input.timezone)) {
    throw RuleError(`Unknown time zone: ${input.timezone}`, [
      { path: ["timezone"], message: "unknown time zone" },
    ]);
  }
  const current = await getCampaign(db, id);
  if (input.localTime && current.abTest) {
    throw RuleError("An A/B test cannot be sent at each subscriber's local time", [
      { path: ["localTime"], message: "not with an A/B test" },
    ]);
  }
  await assertSendable(db, current);
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("schedule", before);
    const [row] = await tx
      .update(campaigns)
      .set({
        status: "scheduled",
        sendAt,
        timezone: input.timezone ?? null,
        localTime: input.localTime ?? false,
      })
      .where(eq(campaigns.id, id))
      .returning();
    await audit(tx, actor, "schedule", before, row ?? {});
  });
  return getCampaign(db, id);
}

export async function unscheduleCampaign({ db, actor }: DomainContext, id: string): Promise<CampaignView> {
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("unschedule", before);
    const [row] = await tx
      .update(campaigns)
      .set({ status: "draft", sendAt: null })
      .where(eq(campaigns.id, id))
      .returning();
    await audit(tx, actor, "unschedule", before, row ?? {});
  });
  return getCampaign(db, id);
}

/**
 * Starts sending now (also what the cron does for a due scheduled campaign): pins the template
 * versions so later edits never change a campaign in flight, and moves to `sending` (`testing`
 * for an A/B test). The audience is frozen by the sends consumer, not here: for a large list
 * that is a long statement, and the request should not wait for it.
 */
export async function startCampaign(
  ctx: DomainContext,
  id: string,
  opts: { scheduled?: boolean } = {},
): Promise<CampaignView> {
  const { db, actor } = ctx;
  await assertSendable(db, await getCampaign(db, id));
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("send", before);
    const ab = before.abTest !== null;
    const [template] = await tx
      .select({ v: templates.currentVersion })
      .from(templates)
      .where(eq(templates.id, before.templateId));
    await tx.execute(sql`update ${campaignVariants} v set template_version = t.current_version
      from ${templates} t where v.campaign_id = ${id}::uuid and t.id = v.template_id`);
    const [row] = await tx
      .update(campaigns)
      .set({
        status: ab ? "testing" : "sending",
        templateVersion: template?.v ?? 1,
        startedAt: sql`now()`,
        sendAt: before.sendAt ?? sql`now()`,
        pausedReason: null,
        // "Send now" sends now, everywhere; only the scheduler keeps the local-time delivery.
        ...(opts.scheduled ? {} : { localTime: false }),
      })
      .where(eq(campaigns.id, id))
      .returning();
    await audit(tx, actor, "send", before, row ?? {});
  });
  // The sends consumer freezes the audience; a lost message is found by the cron's janitor.
  await enqueueSendJobs(queuesIn(ctx).sends, [{ type: "start", campaignId: id }]);
  return getCampaign(db, id);
}

/** Pauses: consumers stop claiming recipients at their next step; nothing in flight is lost. */
export async function pauseCampaign(
  { db, actor, queues }: DomainContext,
  id: string,
  reason?: string,
): Promise<CampaignView> {
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("pause", before);
    const [row] = await tx
      .update(campaigns)
      .set({ status: "paused", pausedReason: reason ?? "Paused by a user", autoResumeUntil: null })
      .where(eq(campaigns.id, id))
      .returning();
    await audit(tx, actor, "pause", before, row ?? {});
    await emitCampaignEvent({ db: tx, queues }, "campaign.paused", id);
  });
  return getCampaign(db, id);
}

/**
 * Resumes where it stopped: back to `testing` while an A/B test has no winner yet, else
 * `sending`; every chunk not done is queued again (claims make a duplicate message harmless).
 */
export async function resumeCampaign(ctx: DomainContext, id: string): Promise<CampaignView> {
  const { db, actor } = ctx;
  const requeue = await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("resume", before);
    const [winner] = await tx
      .select({ id: campaignVariants.id })
      .from(campaignVariants)
      .where(and(eq(campaignVariants.campaignId, id), eq(campaignVariants.isWinner, true)));
    const status: CampaignStatus = before.abTest && !winner ? "testing" : "sending";
    const [row] = await tx
      .update(campaigns)
      .set({ status, pausedReason: null, consecutiveErrors: 0, autoResumeUntil: null })
      .where(eq(campaigns.id, id))
      .returning();
    // Only chunks of the phase that is running: main chunks wait for the winner.
    const phases = status === "testing" ? ["test"] : ["test", "main"];
    const chunks = await tx
      .update(sendChunks)
      .set({ status: "queued", enqueuedAt: sql`now()` })
      .where(
        and(
          eq(sendChunks.campaignId, id),
          inArray(sendChunks.status, ["queued", "pending"]),
          inArray(sendChunks.phase, phases),
          // Local-time chunks whose zone is not there yet stay for the cron's release.
          sql`not (${sendChunks.status} = 'pending' and ${sendChunks.releaseAt} > now())`,
        ),
      )
      .returning({ seq: sendChunks.seq });
    await audit(tx, actor, "resume", before, { ...row, requeuedChunks: chunks.length });
    return before.frozenAt ? chunks.map((c) => c.seq) : [];
  });
  const campaign = await getCampaign(db, id);
  await reopen(ctx, campaign, requeue);
  return campaign;
}

/** Cancels: nothing more is sent; recipients not reached yet are marked skipped. */
export async function cancelCampaign(
  { db, actor, queues }: DomainContext,
  id: string,
): Promise<CampaignView> {
  await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertFrom("cancel", before);
    const [row] = await tx
      .update(campaigns)
      .set({ status: "cancelled", finishedAt: sql`now()`, autoResumeUntil: null })
      .where(eq(campaigns.id, id))
      .returning();
    const skipped = await tx
      .update(sends)
      .set({ status: "skipped", lastError: "campaign cancelled", nextRetryAt: null })
      .where(and(eq(sends.campaignId, id), eq(sends.status, "queued")))
      .returning({ id: sends.id });
    await tx
      .update(sendChunks)
      .set({ status: "done", doneAt: sql`now()` })
      .where(and(eq(sendChunks.campaignId, id), inArray(sendChunks.status, ["pending", "queued"])));
    await audit(tx, actor, "cancel", before, { ...row, skipped: skipped.length });
    await emitCampaignEvent({ db: tx, queues }, "campaign.cancelled", id, { skipped: skipped.length });
  });
  return getCampaign(db, id);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends again what failed for good: the given failed sends (default all of the campaign's), and
 * every dead chunk. Their chunks are queued again and a finished campaign goes back to sending.
 */
export async function retryFailedSends(
  ctx: DomainContext,
  id: string,
  sendIds?: number[],
): Promise<CampaignView> {
  const { db, actor } = ctx;
  const seqs = await db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    assertNotArchived(before);
    if (!["sending", "sent", "paused", "testing", "failed"].includes(before.status) || !before.frozenAt) {
      throw ConflictError(`Nothing to retry: the campaign is ${before.status}`);
    }
    const idFilter = sendIds?.length ? sql`and id = any(${`{${sendIds.join(",")}}`}::bigint[])` : sql``;
    const retried = await queryRows<{ id: string }>(
      tx,
      sql`
      update ${sends} set status = 'queued', attempts = 0, next_retry_at = null, claimed_at = null
      where campaign_id = ${id}::uuid and status = 'failed' ${idFilter}
      returning id`,
    );
    const count = retried.length;
    const chunks = await queryRows<{ seq: number }>(
      tx,
      sql`
      update ${sendChunks} k set status = 'queued', attempts = 0, enqueued_at = now(), done_at = null
      where k.campaign_id = ${id}::uuid and not (k.status = 'pending' and k.release_at > now())
        and (k.status = 'dead' or exists (
        select 1 from ${sends} s where s.campaign_id = k.campaign_id and s.id between k.first_send_id and k.last_send_id
          and s.status = 'queued'))
      returning k.seq`,
    );
    const reopened = chunks.map((r) => r.seq);
    if (reopened.length > 0 && (before.status === "sent" || before.status === "failed")) {
      await tx
        .update(campaigns)
        .set({ status: "sending", finishedAt: null, failureReason: null })
        .where(eq(campaigns.id, id));
    }
    await emitAudit(tx, actor, {
      action: "campaign.retry_failed",
      entity: "campaign",
      entityId: id,
      after: { sends: count, chunks: reopened.length },
    });
    return before.status === "paused" ? [] : reopened;
  });
  await enqueueChunks(db, queuesIn(ctx).sends, id, seqs);
  return getCampaign(db, id);
}

/** After a resume: the start again when the audience was never frozen, else the open chunks. */
async function reopen(ctx: DomainContext, campaign: CampaignView, seqs: number[]): Promise<void> {
  const { sends } = queuesIn(ctx);
  if (campaign.frozenAt === null) await enqueueSendJobs(sends, [{ type: "start", campaignId: campaign.id }]);
  else await enqueueChunks(ctx.db, sends, campaign.id, seqs);
}
