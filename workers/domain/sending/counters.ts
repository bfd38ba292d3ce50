import { and, eq, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import type { Database } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { OrgSettings } from "../settings";
import type { SendOutcome } from "./ledger";

/** How long a campaign paused for relay errors waits for its relay before a person must resume it. */
export const RELAY_WAIT_HOURS = 24;

/**
 * Adds a batch's outcomes to the campaign's running counters and pauses the campaign when a limit
 * is passed: the bounce rate over enough sends, or too many relay errors in a row. Returns true
 * when it paused the campaign.
 */
export async function updateCampaignCounters(
  db: Database,
  campaignId: string,
  rules: OrgSettings["sending"],
  outcomes: SendOutcome[],
): Promise<boolean> {
  if (outcomes.length === 0) return false;
  const n = (k: SendOutcome["kind"]) => outcomes.filter((o) => o.kind === k).length;
  // Relay errors in a row: the relay's own temporary failures (and give-ups) since the last
  // message it answered; a recipient deferred at RCPT is neither an error nor a success here.
  let trailing = 0;
  let sawSuccess = false;
  for (const o of outcomes) {
    if (o.kind === "sent" || o.kind === "bounced") {
      sawSuccess = true;
      trailing = 0;
    } else if ((o.kind === "retry" || o.kind === "failed") && o.relayError) trailing++;
  }
  const [row] = await db
    .update(campaigns)
    .set({
      sentCount: sql`${campaigns.sentCount} + ${n("sent")}`,
      failedCount: sql`${campaigns.failedCount} + ${n("failed")}`,
      bounceCount: sql`${campaigns.bounceCount} + ${n("bounced")}`,
      consecutiveErrors: sawSuccess ? trailing : sql`${campaigns.consecutiveErrors} + ${trailing}`,
    })
    .where(eq(campaigns.id, campaignId))
    .returning();
  if (!row || (row.status !== "sending" && row.status !== "testing")) return false;
  const attempted = row.sentCount + row.bounceCount;
  let reason: string | null = null;
  // A failing relay is waited for (the cron resumes the campaign once it answers); a high bounce
  // rate needs a person to look at the list.
  let waitForRelay = false;
  if (attempted >= rules.pauseMinSends && row.bounceCount / attempted > rules.pauseBounceRate) {
    reason = `Paused automatically: ${((row.bounceCount / attempted) * 100).toFixed(1)}% of ${attempted} sends bounced (limit ${(rules.pauseBounceRate * 100).toFixed(1)}%)`;
  } else if (row.consecutiveErrors >= rules.pauseConsecutiveErrors) {
    reason = `Paused automatically: ${row.consecutiveErrors} relay errors in a row (last: ${lastError(outcomes)}). It resumes by itself once the relay answers again (checked every minute for ${RELAY_WAIT_HOURS} hours).`;
    waitForRelay = true;
  }
  if (!reason) return false;
  const pausedReason = reason;
  return db.transaction(async (tx) => {
    const [paused] = await tx
      .update(campaigns)
      .set({
        status: "paused",
        pausedReason,
        autoResumeUntil: waitForRelay ? sql`now() + make_interval(hours => ${RELAY_WAIT_HOURS})` : null,
      })
      .where(and(eq(campaigns.id, campaignId), sql`${campaigns.status} in ('sending', 'testing')`))
      .returning();
    if (!paused) return false;
    await emitAudit(tx, systemActor("sender"), {
      action: "campaign.auto_pause",
      entity: "campaign",
      entityId: campaignId,
      before: { status: row.status },
      after: { status: "paused", pausedReason },
    });
    return true;
  });
}

function lastError(outcomes: SendOutcome[]): string {
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const o = outcomes[i];
    if (o && "error" in o) return o.error.slice(0, 200);
  }
  return "unknown";
}

/** Counts the campaign's ledger into its counters: exact, for when sending stops or ends. */
export async function syncCampaignCounters(db: Database, campaignId: string): Promise<void> {
  await db.execute(sql`
    update ${campaigns} c set sent_count = t.sent, failed_count = t.failed, bounce_count = t.bounced
    from (
      select count(*) filter (where sent_at is not null)::int as sent,
        count(*) filter (where status = 'failed')::int as failed,
        count(*) filter (where status = 'bounced')::int as bounced
      from ${sends} where campaign_id = ${campaignId}::uuid
    ) t
    where c.id = ${campaignId}::uuid`);
}
