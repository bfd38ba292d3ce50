import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import type { JobQueue } from "../context";
import type { SendJob } from "../jobs";
import { runCampaignChunk } from "./campaign-chunk";
import {
  type CampaignSendContext,
  campaignContext,
  loadSendingCampaign,
  type SendingCampaign,
} from "./campaign-context";
import { completeIfDone, enqueueChunks, takeChunk } from "./chunks";
import { leaseSeconds } from "./lease";
import { RelayBudget } from "./relays/limiter";
import { SmtpLane } from "./relays/smtp-lane";

/**
 * What the lanes of one queue batch share: each campaign's settings, relay and parsed templates
 * (loaded once), and one rate budget per relay. Plain per-invocation state: nothing here outlives
 * the batch.
 */
export class SendingSession {
  private campaigns = new Map<string, Promise<{ campaign: SendingCampaign; ctx: CampaignSendContext }>>();
  private budgets = new Map<string, RelayBudget>();

  constructor(readonly env: Env) {}

  campaign(db: Database, id: string) {
    let hit = this.campaigns.get(id);
    if (!hit) {
      hit = (async () => {
        const campaign = await loadSendingCampaign(db, id);
        return { campaign, ctx: await campaignContext(db, this.env, campaign) };
      })();
      hit.catch(() => this.campaigns.delete(id));
      this.campaigns.set(id, hit);
    }
    return hit;
  }

  budget(ctx: CampaignSendContext): RelayBudget {
    let b = this.budgets.get(ctx.relay.id);
    if (!b) {
      b = new RelayBudget(this.env, ctx.relay);
      this.budgets.set(ctx.relay.id, b);
    }
    return b;
  }
}

/** One lane of a batch: its own database connection and one SMTP connection per relay. */
export interface SendingLane {
  db: Database;
  smtp: Map<string, SmtpLane>;
}

/**
 * Works one chunk message: takes the chunk (nothing when it is done or dead: a duplicate), sends
 * what is due, and either puts the chunk back on the queue for its next retry, or ends the
 * campaign when this was its last open chunk.
 */
export async function workChunk(
  session: SendingSession,
  lane: SendingLane,
  queue: JobQueue<SendJob>,
  job: { campaignId: string; seq: number },
): Promise<void> {
  const { db } = lane;
  const chunk = await takeChunk(db, job.campaignId, job.seq);
  if (!chunk) return;
  const { campaign, ctx } = await session.campaign(db, job.campaignId);
  let smtp = lane.smtp.get(ctx.relay.id);
  if (!smtp) {
    smtp = new SmtpLane(ctx.relay.smtp);
    lane.smtp.set(ctx.relay.id, smtp);
  }
  const result = await runCampaignChunk(
    {
      env: session.env,
      db,
      campaign,
      ctx,
      budget: session.budget(ctx),
      lane: smtp,
      leaseSeconds: leaseSeconds(session.env),
    },
    chunk,
  );
  if (result.state === "later")
    await enqueueChunks(db, queue, job.campaignId, [job.seq], result.delaySeconds);
  else if (result.state === "done") await completeIfDone(db, job.campaignId);
}
