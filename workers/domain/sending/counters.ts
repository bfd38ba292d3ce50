import { and, eq, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import type { Database } from "../../lib/db";
import { systemActor } from "../actor";
import { emitAudit } from "../audit";
import type { OrgSettings } from "../settings";
import { emitCampaignEvent } from "../webhooks/emit";
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
  const { trailing, sawSuccess } = relayErrorsInARow(outcomes);
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
  const pause = pauseFor(row, rules, outcomes);
  return pause ? pauseAutomatically(db, campaignId, row.status, pause) : false;
}

/**
 * Relay errors in a row: the relay's own temporary failures (and give-ups) since the last message
 * it answered; a recipient deferred at RCPT is neither an error nor a success here.
 */
function relayErrorsInARow(outcomes: SendOutcome[]): { trailing: number; sawSuccess: boolean } {
  let trailing = 0;
  let sawSuccess = false;
  for (const o of outcomes) {
    if (o.kind === "sent" || o.kind === "bounced") {
      sawSuccess = true;
      trailing = 0;
    } else if ((o.kind === "retry" || o.kind === "failed") && o.relayError) trailing++;
  }
  return { trailing, sawSuccess };
}

/**
 * Why the campaign must pause, if it must. A failing relay is waited for (the cron resumes the
 * campaign once it answers); a high bounce rate needs a person to look at the list.
 */
function pauseFor(
  row: { sentCount: number; bounceCount: number; consecutiveErrors: number },
  rules: OrgSettings["sending"],
  outcomes: SendOutcome[],
): { reason: string; waitForRelay: boolean } | null {
  const attempted = row.sentCount + row.bounceCount;
  if (attempted >= rules.pauseMinSends && row.bounceCount / attempted > rules.pauseBounceRate) {
    const rate = ((row.bounceCount / attempted) * 100).toFixed(1);
    const limit = (rules.pauseBounceRate * 100).toFixed(1);
    return {
      reason: `Paused automatically: ${rate}% of ${attempted} sends bounced (limit ${limit}%)`,
      waitForRelay: false,
    };
  }
  if (row.consecutiveErrors < rules.pauseConsecutiveErrors) return null;
  return {
    reason: `Paused automatically: ${row.consecutiveErrors} relay errors in a row (last: ${lastError(outcomes)}). It resumes by itself once the relay answers again (checked every minute for ${RELAY_WAIT_HOURS} hours).`,
    waitForRelay: true,
  };
}

async function pauseAutomatically(
  db: Database,
  campaignId: string,
  from: string,
  { reason, waitForRelay }: { reason: string; waitForRelay: boolean },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [paused] = await tx
      .update(campaigns)
      .set({
        status: "paused",
        pausedReason: reason,
        autoResumeUntil: waitForRelay ? sql`now() + make_interval(hours => ${RELAY_WAIT_HOURS})` : null,
      })
      .where(and(eq(campaigns.id, campaignId), sql`${campaigns.status} in ('sending', 'testing')`))
      .returning();
    if (!paused) return false;
    await emitAudit(tx, systemActor("sender"), {
      action: "campaign.auto_pause",
      entity: "campaign",
      entityId: campaignId,
      before: { status: from },
      after: { status: "paused", pausedReason: reason },
    });
    await emitCampaignEvent({ db: tx }, "campaign.paused", campaignId, { automatic: true });
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
