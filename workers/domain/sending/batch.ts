import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { messageLinks, subscriberVars, templateVars } from "../content/render-context";
import type { CampaignSendContext, SendingCampaign } from "./campaign-context";
import { syncCampaignCounters, updateCampaignCounters } from "./counters";
import type { Lease } from "./lease";
import { type ClaimedSend, campaignStatusOf, releaseSends, type SendOutcome } from "./ledger";
import type { BuiltOutbound } from "./outbound";
import { buildOutbound } from "./outbound";
import { isThrottleReply, type RelayBudget } from "./relays/limiter";
import type { SmtpLane } from "./relays/smtp-lane";
import { outcomeOf } from "./retry";
import { recordDurably, type SendParty, settleOutcomes } from "./settle";

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

/** Why a batch ended before its last recipient. */
export type Stop =
  /** The relay's rate budget stayed empty. */
  | "budget"
  /** The campaign was paused or cancelled. */
  | "halted"
  /** The database failed on the way: an outcome was held until it could be written. */
  | "database"
  /** The claim could no longer be proved ours: nothing more is committed under it. */
  | "lease";

/**
 * One claimed batch on its way to the relay, one message at a time. The previous message's
 * outcome write runs while the next message is built and is awaited before that message goes
 * out, and its answer carries the campaign's status: nothing is sent past an unrecorded message,
 * and a pause or cancel is seen before the next one.
 */
export class BatchRun {
  readonly recorded: SendOutcome[] = [];
  stop: Stop | undefined;
  private throttled = false;
  private tokens = 0;
  private pending: { outcome: SendOutcome; write: ReturnType<typeof recordDurably> } | null = null;

  constructor(
    private readonly deps: ChunkDeps,
    private readonly lease: Lease,
    private status: string,
  ) {}

  /** Sends each recipient in turn until the batch is through or a stop is due. */
  async run(live: ClaimedSend[]): Promise<void> {
    for (const [i, c] of live.entries()) {
      if (!(await this.haveToken(live.length - i))) break;
      const built = await buildFor(this.deps, c);
      if (!(await this.clearToSend())) break;
      const outcome = await this.attempt(c, built);
      if (!outcome) break;
      this.lease.attempt(c.id);
      this.pending = {
        outcome,
        write: recordDurably(this.deps.db, outcome, this.lease, this.deps.campaign.id),
      };
    }
    if (!(await this.settlePending())) this.stop ??= "database";
  }

  /**
   * A token from the relay's budget, taken a tenth of a second's worth at a time as messages go
   * (the pace stays even instead of a burst after each wait). After a wait the campaign's status
   * is read again, since a pause may have come meanwhile.
   */
  private async haveToken(left: number): Promise<boolean> {
    if (this.tokens > 0) return true;
    const step = Math.max(1, Math.ceil(this.deps.ctx.relay.perSecond / 10));
    const asked = Date.now();
    this.tokens = await this.deps.budget.take(Math.min(step, left), 20_000).catch(() => 0);
    if (this.tokens === 0) return this.halt("budget");
    if (Date.now() - asked <= STATUS_FRESH_MS) return true;
    const now = await campaignStatusOf(this.deps.db, this.deps.campaign.id).catch(() => null);
    if (now === null) return this.halt("database");
    this.status = now;
    return true;
  }

  /** The previous outcome is written, the campaign still runs, and the claim is still ours. */
  private async clearToSend(): Promise<boolean> {
    if (!(await this.settlePending())) return this.halt("database");
    if (!RUNNING.has(this.status)) return this.halt("halted");
    if (!this.lease.mayCommit()) return this.halt("lease");
    return true;
  }

  /** One message to the relay (or the build failure), as an outcome; null when it was held back. */
  private async attempt(
    c: ClaimedSend,
    built: BuiltOutbound | { error: string },
  ): Promise<SendOutcome | null> {
    // Rendering failed for this recipient (e.g. a filter error on odd data): final, not retried.
    if ("error" in built)
      return { id: c.id, kind: "failed", error: `could not build the message: ${built.error}` };
    this.lease.attempt(c.id);
    const result = await this.deps.lane.send(built.message, { mayCommit: this.lease.mayCommit });
    if (result.withheld) {
      this.lease.unattempt(c.id);
      this.halt("lease");
      return null;
    }
    this.tokens--;
    const r = result.recipients[0];
    const code = r?.code ?? result.error?.code;
    if (!result.accepted && isThrottleReply(code, r?.enhanced ?? result.error?.enhanced, r?.message))
      this.throttled = true;
    return outcomeOf(c, result, built.messageId, this.deps.ctx.settings.sending);
  }

  private async settlePending(): Promise<boolean> {
    if (!this.pending) return true;
    const { outcome, write } = this.pending;
    this.pending = null;
    const written = await write;
    if (written.recorded) this.recorded.push(outcome);
    this.status = written.campaignStatus ?? this.status;
    return !written.troubled;
  }

  private halt(stop: Stop): false {
    this.stop = stop;
    return false;
  }

  /**
   * After the loop: rows never attempted go back (skipped when the campaign was cancelled; left
   * to the lease when the database still fails), the relay's "slow down" reaches its limiter, the
   * recorded outcomes get their events, bounce rules and counters. A lane stopped by a pause or
   * cancel (or an automatic pause) makes the counters exact, since the page shows them.
   */
  async finish(claimed: ClaimedSend[]): Promise<{ sent: number; stop?: Stop }> {
    const { db, campaign, ctx } = this.deps;
    const cancelled = this.status === "cancelled" ? "campaign cancelled" : undefined;
    await releaseSends(db, this.lease.unattemptedIds(), this.lease.token, cancelled).catch((err: unknown) =>
      console.error(`campaign ${campaign.id}: claimed rows not released: ${String(err)}`),
    );
    if (this.throttled) await this.deps.budget.slowDown().catch(() => undefined);
    await settleOutcomes(
      db,
      claimed.map((c) => partyOf(c, campaign.id)),
      this.recorded,
    );
    const autoPaused = await updateCampaignCounters(db, campaign.id, ctx.settings.sending, this.recorded);
    if (this.stop === "halted" || autoPaused) {
      await syncCampaignCounters(db, campaign.id);
      this.stop = "halted";
    }
    return { sent: this.recorded.filter((o) => o.kind === "sent").length, stop: this.stop };
  }
}

const partyOf = (c: ClaimedSend, campaignId: string): SendParty => ({
  id: c.id,
  email: c.email,
  subscriberId: c.subscriberId,
  campaignId,
  variantId: c.variantId,
});

/** Renders, tracks, composes and signs one recipient's message; a failure is returned, not thrown. */
async function buildFor(deps: ChunkDeps, c: ClaimedSend): Promise<BuiltOutbound | { error: string }> {
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
    const subscriber = subscriberVars({
      id: c.subscriberId ?? "",
      email: c.email,
      name: c.name,
      fields: c.fields,
      createdAt: c.createdAt,
    });
    const vars = templateVars({
      subscriber,
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
