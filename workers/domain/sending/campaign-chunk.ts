import { sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import type { Env } from "../../env";
import { type Database, queryRows } from "../../lib/db";
import { suppressedAmong } from "../audience/suppressions/suppressions";
import { messageLinks, subscriberVars, templateVars } from "../content/render-context";
import type { CampaignSendContext, SendingCampaign } from "./campaign-context";
import { finishChunk, touchChunk } from "./chunks";
import { syncCampaignCounters, updateCampaignCounters } from "./counters";
import { Lease } from "./lease";
import {
  type ClaimedSend,
  campaignStatusOf,
  claimSends,
  recordOutcomes,
  releaseClaim,
  releaseSends,
  type SendOutcome,
} from "./ledger";
import { buildOutbound } from "./outbound";
import { isThrottleReply, type RelayBudget } from "./relays/limiter";
import type { SmtpLane } from "./relays/smtp-lane";
import { outcomeOf } from "./retry";
import { reconcileSettlement, recordDurably, type SendParty, settleOutcomes } from "./settle";

/** Recipients claimed together (one claim, one settlement of events and counters). */
const BATCH = 50;
/** After waiting this long for the relay's budget, the campaign's status is read again. */
const STATUS_FRESH_MS = 50;
const RUNNING = new Set(["sending", "testing"]);

export interface ChunkDeps {
  env: Env;
  db: Database;
  campaign: SendingCampaign;
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

/** Why a batch ended before its last recipient. */
type Stop =
  /** The relay's rate budget stayed empty. */
  | "budget"
  /** The campaign was paused or cancelled. */
  | "halted"
  /** The database failed on the way: an outcome was held until it could be written. */
  | "database"
  /** The claim could no longer be proved ours: nothing more is committed under it. */
  | "lease";

/**
 * Sends one chunk of a campaign: claims recipients in batches, skips the suppressed and those who
 * left since the freeze, takes tokens from the relay's limiter, renders and sends each message on
 * the lane's connection, and records every outcome before the next message goes out. A pause or
 * cancel is seen before the next message; a database failure stops the lane at once.
 */
export async function runCampaignChunk(
  deps: ChunkDeps,
  chunk: { seq: number; first: number; last: number },
): Promise<ChunkResult> {
  const { db, campaign } = deps;
  let sent = 0;
  // At most two seconds' worth of the relay's rate per claim: rows do not sit claimed for long.
  const limit = Math.max(1, Math.min(BATCH, deps.ctx.relay.perSecond * 2));
  const range = { campaignId: campaign.id, first: chunk.first, last: chunk.last };
  for (;;) {
    const token = crypto.randomUUID();
    const asked = Date.now();
    let claimed: ClaimedSend[];
    try {
      claimed = await claimSends(db, { ...range, limit, leaseSeconds: deps.leaseSeconds, token });
    } catch (err) {
      // The claim may have committed with its answer lost: give back whatever the token holds.
      await giveBack(db, { ...range, token, keep: [] }, deps.leaseSeconds * 1000);
      throw err;
    }
    if (claimed.length === 0) break;
    const lease = new Lease(
      db,
      token,
      claimed.map((c) => c.id),
      deps.leaseSeconds * 1000,
      asked,
    ).start();
    let batch: { sent: number; stop?: Stop };
    try {
      await touchChunk(db, campaign.id, chunk.seq);
      batch = await sendBatch(deps, claimed, lease);
    } catch (err) {
      // The database failed between claim and send: give the untouched rows back as soon as it
      // answers again, rather than leaving them to the lease (ten minutes by default). Rows on
      // their way to the relay are never given back: only their outcome may end their claim.
      await lease.stop();
      await giveBack(db, { ...range, token, keep: lease.attemptedIds() }, lease.leaseMs);
      throw err;
    } finally {
      await lease.stop();
    }
    sent += batch.sent;
    if (batch.stop === "halted") return { state: "stopped", sent };
    if (batch.stop === "lease") return { state: "later", sent, delaySeconds: deps.leaseSeconds };
    if (batch.stop) return { state: "later", sent, delaySeconds: 5 };
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
    if (!RUNNING.has(left.status)) return { state: "stopped", sent };
    const wait = left.due ? Math.ceil((new Date(left.due).getTime() - Date.now()) / 1000) : deps.leaseSeconds;
    return { state: "later", sent, delaySeconds: Math.max(1, wait) };
  }
  await reconcileSettlement(db, { campaignId: campaign.id, first: chunk.first, last: chunk.last });
  await finishChunk(db, campaign.id, chunk.seq);
  return { state: "done", sent };
}

/** How long a lane keeps trying to give back rows it claimed but never sent, after a failure. */
const RELEASE_PATIENCE_MS = 120_000;

async function giveBack(db: Database, claim: Parameters<typeof releaseClaim>[1], leaseMs: number) {
  const until = Date.now() + Math.min(RELEASE_PATIENCE_MS, leaseMs / 2);
  for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      await releaseClaim(db, claim);
      return;
    } catch {
      if (Date.now() + delay > until) return; // the lease will free them
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Outcomes decided before sending: suppressed since the freeze, or no longer subscribed. */
async function screen(db: Database, claimed: ClaimedSend[]) {
  const suppressed = await suppressedAmong(
    db,
    claimed.map((c) => c.email),
  );
  const skipped: SendOutcome[] = [];
  const live: ClaimedSend[] = [];
  for (const c of claimed) {
    if (suppressed.has(c.email)) skipped.push({ id: c.id, kind: "skipped", error: "suppressed" });
    else if (c.subscriberStatus !== "active")
      skipped.push({ id: c.id, kind: "skipped", error: `subscriber ${c.subscriberStatus ?? "erased"}` });
    else live.push(c);
  }
  return { skipped, live };
}

async function sendBatch(
  deps: ChunkDeps,
  claimed: ClaimedSend[],
  lease: Lease,
): Promise<{ sent: number; stop?: Stop }> {
  const { db, ctx, campaign } = deps;
  const { skipped, live } = await screen(db, claimed);
  await recordOutcomes(db, skipped, lease.token);
  for (const o of skipped) lease.release(o.id);
  const recorded: SendOutcome[] = [...skipped];
  let status = claimed[0]?.campaignStatus ?? "sending";
  let stop: Stop | undefined;
  let throttled = false;
  // Tokens a tenth of a second's worth at a time, as messages go: the pace stays even instead
  // of a batch-sized burst after each wait.
  const step = Math.max(1, Math.ceil(ctx.relay.perSecond / 10));
  let tokens = 0;
  // The previous message's outcome write: it runs while the next message is built, and is
  // awaited before that message goes out, so nothing is sent past an unrecorded message.
  let pending: { outcome: SendOutcome; write: ReturnType<typeof recordDurably> } | null = null;
  const settlePending = async (): Promise<boolean> => {
    if (!pending) return true;
    const { outcome, write } = pending;
    pending = null;
    const written = await write;
    if (written.recorded) recorded.push(outcome);
    status = written.campaignStatus ?? status;
    return !written.troubled;
  };

  for (const [i, c] of live.entries()) {
    if (tokens === 0) {
      const asked = Date.now();
      tokens = await deps.budget.take(Math.min(step, live.length - i), 20_000).catch(() => 0);
      if (tokens === 0) {
        stop = "budget";
        break;
      }
      if (Date.now() - asked > STATUS_FRESH_MS) {
        const now = await campaignStatusOf(db, campaign.id).catch(() => null);
        if (now === null) {
          stop = "database";
          break;
        }
        status = now;
      }
    }
    const built = await buildFor(deps, c);
    if (!(await settlePending())) {
      stop = "database";
      break;
    }
    if (!RUNNING.has(status)) {
      stop = "halted";
      break;
    }
    if (!lease.mayCommit()) {
      stop = "lease";
      break;
    }
    let outcome: SendOutcome;
    if ("error" in built) {
      // Rendering failed for this recipient (e.g. a filter error on odd data): final, not retried.
      outcome = { id: c.id, kind: "failed", error: `could not build the message: ${built.error}` };
    } else {
      lease.attempt(c.id);
      const result = await deps.lane.send(built.message, { mayCommit: lease.mayCommit });
      if (result.withheld) {
        lease.unattempt(c.id);
        stop = "lease";
        break;
      }
      tokens--;
      outcome = outcomeOf(c, result, built.messageId, ctx.settings.sending);
      const r = result.recipients[0];
      if (
        !result.accepted &&
        isThrottleReply(r?.code ?? result.error?.code, r?.enhanced ?? result.error?.enhanced, r?.message)
      )
        throttled = true;
    }
    lease.attempt(c.id);
    pending = { outcome, write: recordDurably(db, outcome, lease, campaign.id) };
  }
  if (!(await settlePending())) stop ??= "database";

  // Rows never attempted go back (skipped when the campaign was cancelled); a database that is
  // still failing leaves them to the lease.
  await releaseSends(
    db,
    lease.unattemptedIds(),
    lease.token,
    status === "cancelled" ? "campaign cancelled" : undefined,
  ).catch((err: unknown) =>
    console.error(`campaign ${campaign.id}: claimed rows not released: ${String(err)}`),
  );
  if (throttled) await deps.budget.slowDown().catch(() => undefined);
  await settleOutcomes(
    db,
    claimed.map((c) => partyOf(c, campaign.id)),
    recorded,
  );
  const autoPaused = await updateCampaignCounters(db, campaign.id, ctx.settings.sending, recorded);
  if (stop === "halted" || autoPaused) {
    // The page shows the counters: once a pause or cancel has stopped this lane, make them exact.
    await syncCampaignCounters(db, campaign.id);
    stop = "halted";
  }
  return { sent: recorded.filter((o) => o.kind === "sent").length, stop };
}

const partyOf = (c: ClaimedSend, campaignId: string): SendParty => ({
  id: c.id,
  email: c.email,
  subscriberId: c.subscriberId,
  campaignId,
  variantId: c.variantId,
});

/** Renders, tracks, composes and signs one recipient's message; a failure is returned, not thrown. */
async function buildFor(deps: ChunkDeps, c: ClaimedSend) {
  const { env, ctx, campaign } = deps;
  try {
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
    return await buildOutbound(ctx.sender, {
      sendId: c.id,
      email: c.email,
      subscriberId: c.subscriberId,
      campaignId: campaign.id,
      variantId: c.variantId,
      compiled,
      vars,
    });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
