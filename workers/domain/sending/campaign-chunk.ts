import { and, eq, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import type { Env } from "../../env";
import { classifySmtpReply } from "../../inbound/bounce/classify";
import { type Database, queryRows } from "../../lib/db";
import type { MessageResult } from "../../mail/smtp";
import { systemActor } from "../actor";
import { suppressedAmong } from "../audience/suppressions";
import { emitAudit } from "../audit";
import { recordBounces } from "../bounces/rules";
import type { CampaignView } from "../campaigns/campaigns";
import { messageLinks, subscriberVars, templateVars } from "../content/render-context";
import { ingestEvents } from "../tracking/ingest";
import type { CampaignSendContext } from "./campaign-context";
import { type ClaimedSend, claimSends, recordOutcomes, releaseSends, type SendOutcome } from "./ledger";
import { isThrottleReply, type RelayBudget } from "./limiter";
import { buildOutbound } from "./outbound";
import type { SmtpLane } from "./smtp-lane";

/** Recipients claimed, rendered, sent and recorded together (one claim and one write each). */
const BATCH = 50;
/** Retries wait base × 2^(attempt-1), ± 50% jitter, at most this long. */
const MAX_RETRY_SECONDS = 6 * 3600;

export interface ChunkDeps {
  env: Env;
  db: Database;
  campaign: CampaignView;
  ctx: CampaignSendContext;
  budget: RelayBudget;
  lane: SmtpLane;
  /** A claim older than this is in doubt (its consumer died) and may be claimed again. */
  leaseSeconds: number;
}

export type ChunkResult =
  /** Every row of the chunk is final. */
  | { state: "done"; sent: number }
  /** Some rows wait for a retry (or the rate budget): send the chunk again in `delaySeconds`. */
  | { state: "later"; sent: number; delaySeconds: number }
  /** The campaign is not running (paused, cancelled): nothing more until it resumes. */
  | { state: "stopped"; sent: number };

/** The retry time for a send that failed temporarily on its `attempts`-th try. */
export function retryDelaySeconds(baseSeconds: number, attempts: number, random = Math.random()): number {
  const exp = Math.min(MAX_RETRY_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(exp * (0.5 + random)));
}

/**
 * Sends one chunk of a campaign: claims recipients in batches, skips the suppressed and those who
 * left since the freeze, takes tokens from the relay's limiter, renders and sends each message on
 * the lane's connection, and records every outcome (ledger, events, bounces, counters). Stops at
 * the next claim when the campaign is paused or cancelled, or pauses it itself when its bounce
 * rate or run of relay errors passes the configured limits.
 */
export async function runCampaignChunk(
  deps: ChunkDeps,
  chunk: { seq: number; first: number; last: number },
): Promise<ChunkResult> {
  const { db, campaign } = deps;
  let sent = 0;
  // At most two seconds' worth of the relay's rate per claim, so no claimed row waits long enough
  // for its claim to look abandoned.
  const limit = Math.max(1, Math.min(BATCH, deps.ctx.relay.perSecond * 2));
  for (;;) {
    const claimed = await claimSends(db, {
      campaignId: campaign.id,
      first: chunk.first,
      last: chunk.last,
      limit,
      leaseSeconds: deps.leaseSeconds,
    });
    if (claimed.length === 0) break;
    // A heartbeat for the janitor: this chunk is being worked on.
    await db
      .update(sendChunks)
      .set({ enqueuedAt: sql`now()` })
      .where(and(eq(sendChunks.campaignId, campaign.id), eq(sendChunks.seq, chunk.seq)));
    const batch = await sendBatch(deps, claimed);
    sent += batch.sent;
    if (batch.budgetDry) return { state: "later", sent, delaySeconds: 5 };
    if (batch.paused) return { state: "stopped", sent };
  }
  return settleChunk(deps, chunk, sent);
}

/** After the last claim: done, waiting for retries, or stopped because the campaign is. */
async function settleChunk(
  deps: ChunkDeps,
  chunk: { seq: number; first: number; last: number },
  sent: number,
): Promise<ChunkResult> {
  const { db, campaign } = deps;
  const [left] = await queryRows<{ open: number; due: string | null; status: string }>(
    db,
    sql`select count(*)::int as open, min(next_retry_at) as due,
        (select status from ${campaigns} where id = ${campaign.id}::uuid) as status
      from ${sends} where campaign_id = ${campaign.id}::uuid and id between ${chunk.first} and ${chunk.last}
        and status in ('queued', 'sending')`,
  );
  if (left && left.open > 0) {
    if (left.status !== "sending" && left.status !== "testing") return { state: "stopped", sent };
    const wait = left.due ? Math.ceil((new Date(left.due).getTime() - Date.now()) / 1000) : deps.leaseSeconds;
    return { state: "later", sent, delaySeconds: Math.max(1, wait) };
  }
  await reconcileEvents(deps, chunk);
  await db
    .update(sendChunks)
    .set({ status: "done", doneAt: sql`now()`, lastError: null })
    .where(and(eq(sendChunks.campaignId, campaign.id), eq(sendChunks.seq, chunk.seq)));
  return { state: "done", sent };
}

interface BatchResult {
  sent: number;
  paused: boolean;
  budgetDry: boolean;
}

async function sendBatch(deps: ChunkDeps, claimed: ClaimedSend[]): Promise<BatchResult> {
  const { db, env, ctx, campaign } = deps;
  const outcomes: SendOutcome[] = [];
  const suppressed = await suppressedAmong(
    db,
    claimed.map((c) => c.email),
  );
  const live: ClaimedSend[] = [];
  for (const c of claimed) {
    if (suppressed.has(c.email)) outcomes.push({ id: c.id, kind: "skipped", error: "suppressed" });
    else if (c.subscriberStatus !== "active")
      outcomes.push({ id: c.id, kind: "skipped", error: `subscriber ${c.subscriberStatus ?? "erased"}` });
    else live.push(c);
  }
  await recordOutcomes(db, outcomes);
  const maxAttempts = ctx.settings.sending.maxAttempts;
  const bounces: Parameters<typeof recordBounces>[1] = [];
  let throttled = false;
  // Tokens a tenth of a second's worth at a time, as messages go: the pace stays even instead
  // of a batch-sized burst after each wait.
  const step = Math.max(1, Math.ceil(ctx.relay.perSecond / 10));
  let tokens = 0;
  const giveBack: number[] = [];
  const writes: Promise<void>[] = [];
  for (const [i, c] of live.entries()) {
    if (tokens === 0) tokens = await deps.budget.take(Math.min(step, live.length - i), 20_000);
    if (tokens === 0) {
      giveBack.push(...live.slice(i).map((l) => l.id));
      break;
    }
    tokens--;
    const compiled = ctx.content.get(c.variantId ?? "") ?? ctx.content.get("");
    if (!compiled) throw new Error("campaign content missing");
    // One list: the unsubscribe link leaves that list; several lists or a segment: everything.
    const links = await messageLinks(env, {
      subscriberId: c.subscriberId,
      campaignId: campaign.id,
      listId: campaign.listIds.length === 1 ? (ctx.list?.id ?? null) : null,
    });
    const vars = templateVars({
      subscriber: subscriberVars({
        id: c.subscriberId ?? "",
        email: c.email,
        name: c.name,
        fields: c.fields,
        createdAt: c.createdAt,
      }),
      links,
      postalAddress: ctx.settings.postalAddress,
      organizationName: ctx.settings.organizationName,
      campaign: { id: campaign.id, name: campaign.name },
      list: ctx.list,
    });
    let result: MessageResult;
    let messageId = "";
    try {
      const built = await buildOutbound(ctx.sender, {
        sendId: c.id,
        email: c.email,
        subscriberId: c.subscriberId,
        campaignId: campaign.id,
        variantId: c.variantId,
        compiled,
        vars,
      });
      messageId = built.messageId;
      result = await deps.lane.send(built.message);
    } catch (err) {
      // Rendering failed for this recipient (e.g. a filter error on odd data): final, not retried.
      const failure: SendOutcome = {
        id: c.id,
        kind: "failed",
        error: `could not build the message: ${String(err)}`,
      };
      await recordOutcomes(db, [failure]);
      outcomes.push(failure);
      continue;
    }
    const outcome = outcomeOf(c, result, messageId, ctx.settings.sending.retryBaseSeconds, maxAttempts);
    // Recorded at once, not with the batch: a crash now leaves in doubt only the message on the
    // wire, never ones the relay already took (see ARCHITECTURE.md, exactly once). The write is
    // not awaited here: it goes out now, and the next message is built while it runs.
    const write = recordOutcomes(db, [outcome]);
    write.catch(() => undefined); // awaited (and thrown) with the others below
    writes.push(write);
    outcomes.push(outcome);
    const r = result.recipients[0];
    if (
      !result.accepted &&
      isThrottleReply(r?.code ?? result.error?.code, r?.enhanced ?? result.error?.enhanced, r?.message)
    )
      throttled = true;
    if (outcome.kind === "bounced") {
      const verdict = classifySmtpReply({
        code: outcome.code,
        enhanced: outcome.enhanced,
        text: outcome.error,
      });
      bounces.push({
        email: c.email,
        hard: verdict.hard,
        status: verdict.status,
        reason: verdict.reason,
        diagnostic: outcome.error,
        source: "smtp",
        sendId: c.id,
        campaignId: campaign.id,
        variantId: c.variantId,
        subscriberId: c.subscriberId,
      });
    }
  }
  await Promise.all(writes);
  if (throttled) await deps.budget.slowDown();
  await releaseSends(db, giveBack);

  await recordEvents(db, campaign.id, claimed, outcomes);
  await recordBounces(db, bounces);
  const paused = await updateCounters(deps, outcomes);
  return { sent: outcomes.filter((o) => o.kind === "sent").length, paused, budgetDry: giveBack.length > 0 };
}

/** Sent, retry later, failed for good, or bounced: what one SMTP result means for the ledger. */
function outcomeOf(
  c: ClaimedSend,
  result: MessageResult,
  messageId: string,
  baseSeconds: number,
  maxAttempts: number,
): SendOutcome {
  if (result.accepted) return { id: c.id, kind: "sent", messageId, code: 250, response: result.response };
  const r = result.recipients[0];
  const code = r?.code ?? result.error?.code;
  const enhanced = r?.enhanced ?? result.error?.enhanced;
  const error = r?.message ?? result.error?.message ?? "not accepted";
  const temporary = code === undefined ? (result.error?.temporary ?? true) : code < 500;
  if (!temporary) return { id: c.id, kind: "bounced", code, enhanced, error };
  // The relay itself failing (connection, TLS, AUTH, MAIL, DATA), not one recipient deferred
  // (a 4xx to RCPT, such as greylisting): only the former counts towards the automatic pause.
  const relayError = result.error?.step !== "rcpt";
  if (c.attempts >= maxAttempts)
    return {
      id: c.id,
      kind: "failed",
      code,
      enhanced,
      error: `${error} (gave up after ${c.attempts} attempts)`,
      relayError,
    };
  const retryAt = new Date(Date.now() + retryDelaySeconds(baseSeconds, c.attempts) * 1000);
  return { id: c.id, kind: "retry", retryAt, code, enhanced, error, relayError };
}

/** `sent` and `failed` events (the rollups count them); bounces go through recordBounces. */
async function recordEvents(
  db: Database,
  campaignId: string,
  claimed: ClaimedSend[],
  outcomes: SendOutcome[],
) {
  const byId = new Map(claimed.map((c) => [c.id, c]));
  const now = new Date();
  const records = outcomes.flatMap((o) => {
    const c = byId.get(o.id);
    if (!c || (o.kind !== "sent" && o.kind !== "failed")) return [];
    return [
      {
        kind: o.kind,
        dedupeKey: `${o.kind}:${o.id}`,
        occurredAt: now,
        sendId: o.id,
        campaignId,
        variantId: c.variantId,
        subscriberId: c.subscriberId,
      },
    ];
  });
  if (records.length > 0) await ingestEvents(db, records);
}

/**
 * Adds the batch to the campaign's counters and pauses the campaign when a limit is passed:
 * the bounce rate over enough sends, or too many relay errors in a row. Returns true when the
 * campaign is no longer running.
 */
async function updateCounters(deps: ChunkDeps, outcomes: SendOutcome[]): Promise<boolean> {
  const { db, campaign, ctx } = deps;
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
    .where(eq(campaigns.id, campaign.id))
    .returning();
  if (!row) return true;
  if (row.status !== "sending" && row.status !== "testing") return true;
  const rules = ctx.settings.sending;
  const attempted = row.sentCount + row.bounceCount;
  let reason: string | null = null;
  if (attempted >= rules.pauseMinSends && row.bounceCount / attempted > rules.pauseBounceRate) {
    reason = `Paused automatically: ${((row.bounceCount / attempted) * 100).toFixed(1)}% of ${attempted} sends bounced (limit ${(rules.pauseBounceRate * 100).toFixed(1)}%)`;
  } else if (row.consecutiveErrors >= rules.pauseConsecutiveErrors) {
    reason = `Paused automatically: ${row.consecutiveErrors} relay errors in a row (last: ${lastError(outcomes)})`;
  }
  if (!reason) return false;
  await db.transaction(async (tx) => {
    const [paused] = await tx
      .update(campaigns)
      .set({ status: "paused", pausedReason: reason })
      .where(and(eq(campaigns.id, campaign.id), sql`${campaigns.status} in ('sending', 'testing')`))
      .returning();
    if (paused) {
      await emitAudit(tx, systemActor("sender"), {
        action: "campaign.auto_pause",
        entity: "campaign",
        entityId: campaign.id,
        before: { status: row.status },
        after: { status: "paused", pausedReason: reason },
      });
    }
  });
  return true;
}

function lastError(outcomes: SendOutcome[]): string {
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const o = outcomes[i];
    if (o && "error" in o) return o.error.slice(0, 200);
  }
  return "unknown";
}

/**
 * Outcomes are written to the ledger one by one but their events and bounce rules per batch, so
 * a crash in between leaves final rows without their event. Before a chunk is done, those rows
 * get their events (the dedupe keys make this a no-op when nothing was missed).
 */
async function reconcileEvents(deps: ChunkDeps, chunk: { first: number; last: number }): Promise<void> {
  const { db, campaign } = deps;
  const rows = await queryRows<{
    id: string | number;
    status: "sent" | "failed" | "bounced";
    email: string;
    variant_id: string | null;
    subscriber_id: string | null;
    last_code: number | null;
    last_enhanced: string | null;
    last_error: string | null;
  }>(
    db,
    sql`select s.id, s.status, s.email, s.variant_id, s.subscriber_id, s.last_code, s.last_enhanced, s.last_error
      from ${sends} s
      where s.campaign_id = ${campaign.id}::uuid and s.id between ${chunk.first} and ${chunk.last}
        and s.status in ('sent', 'failed', 'bounced')
        and not exists (select 1 from events e where e.dedupe_key =
          (case s.status when 'bounced' then 'bounce' else s.status::text end) || ':' || s.id)`,
  );
  if (rows.length === 0) return;
  const now = new Date();
  const records = rows
    .filter((r) => r.status !== "bounced")
    .map((r) => ({
      kind: r.status as "sent" | "failed",
      dedupeKey: `${r.status}:${r.id}`,
      occurredAt: now,
      sendId: Number(r.id),
      campaignId: campaign.id,
      variantId: r.variant_id,
      subscriberId: r.subscriber_id,
    }));
  if (records.length > 0) await ingestEvents(db, records);
  const bounced = rows.filter((r) => r.status === "bounced");
  await recordBounces(
    db,
    bounced.map((r) => {
      const verdict = classifySmtpReply({
        code: r.last_code ?? undefined,
        enhanced: r.last_enhanced ?? undefined,
        text: r.last_error ?? "",
      });
      return {
        email: r.email,
        hard: verdict.hard,
        status: verdict.status,
        reason: verdict.reason,
        diagnostic: r.last_error ?? "",
        source: "smtp" as const,
        sendId: Number(r.id),
        campaignId: campaign.id,
        variantId: r.variant_id,
        subscriberId: r.subscriber_id,
      };
    }),
  );
}
