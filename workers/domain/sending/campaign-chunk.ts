import { sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { suppressedAmong } from "../audience/suppressions/suppressions";
import { BatchRun, type ChunkDeps, type Stop } from "./batch";
import { finishChunk, touchChunk } from "./chunks";
import { Lease } from "./lease";
import { type ClaimedSend, claimSends, recordOutcomes, releaseClaim, type SendOutcome } from "./ledger";
import { reconcileSettlement } from "./settle";

/** Recipients claimed together (one claim, one settlement of events and counters). */
const BATCH = 50;
const RUNNING = new Set(["sending", "testing"]);

export type { ChunkDeps } from "./batch";

export type ChunkResult =
  /** Every row of the chunk is final. */
  | { state: "done"; sent: number }
  /** Some rows wait for a retry (or the rate budget): send the chunk again in `delaySeconds`. */
  | { state: "later"; sent: number; delaySeconds: number }
  /** The campaign is not running (paused, cancelled): nothing more until it resumes. */
  | { state: "stopped"; sent: number };

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
  const { skipped, live } = await screen(deps.db, claimed);
  await recordOutcomes(deps.db, skipped, lease.token);
  for (const o of skipped) lease.release(o.id);
  const run = new BatchRun(deps, lease, claimed[0]?.campaignStatus ?? "sending");
  run.recorded.push(...skipped);
  await run.run(live);
  return run.finish(claimed);
}
