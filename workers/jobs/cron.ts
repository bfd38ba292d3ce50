import { systemActor } from "../domain/actor";
import { requeueStalledImports } from "../domain/audience/imports/stalled";
import { queueDueWinners } from "../domain/campaigns/ab-test";
import { startDueCampaigns } from "../domain/campaigns/due";
import { resumeWhereRelaysAnswer } from "../domain/campaigns/relay-wait";
import { type DomainContext, queuesOf } from "../domain/context";
import { purgeExpired } from "../domain/maintenance";
import { releaseDueChunks, requeueStalledSends } from "../domain/sending/chunks";
import { leaseSeconds } from "../domain/sending/lease";
import { requeueStrandedTransactional } from "../domain/sending/transactional-ledger";
import { wakeDueEndpoints } from "../domain/webhooks/emit";
import { requeuePendingCalls, wakeOverdueRuns } from "../domain/workflows/drain";
import {
  convertSegmentGoals,
  enterAnniversaries,
  enterListJoins,
  enterSegmentEntries,
} from "../domain/workflows/triggers";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";

/**
 * The every-minute ticker: finds due work and hands it to the queues (scheduled campaigns, A/B
 * tests whose wait is over, chunks, transactional sends and imports whose message was lost,
 * campaigns whose relay answers again), and does light housekeeping. It never sends anything
 * itself. Each step is one domain call and runs on its own: one failing step skips only itself.
 */
export async function runCron(controller: ScheduledController, env: Env): Promise<void> {
  const conn = openDbFor(env);
  const ctx: DomainContext = { db: conn.db, actor: systemActor("cron"), queues: queuesOf(env) };
  const { db } = ctx;
  const queues = queuesOf(env);
  const lease = leaseSeconds(env);
  // "Now" for the time-driven campaign steps is the tick's own time: in production the minute
  // it was due; locally `/cdn-cgi/local/scheduled?time=<unix s>` moves it (tests drive time so).
  const now = new Date(controller.scheduledTime);
  const steps: Array<[string, () => Promise<unknown>]> = [
    ["scheduled campaigns", () => startDueCampaigns(ctx, now)],
    ["local-time zones due", () => releaseDueChunks(db, queues.sends, now)],
    ["A/B winners", () => queueDueWinners(db, queues.sends)],
    ["stalled sends", () => requeueStalledSends(db, queues.sends, lease)],
    ["relays that answer again", () => resumeWhereRelaysAnswer(ctx, env)],
    ["stranded transactional sends", () => requeueStrandedTransactional(db, queues.sends, lease)],
    ["stalled imports", () => requeueStalledImports(db, queues.imports, lease)],
    ["workflow list joins", () => enterListJoins(ctx)],
    ["workflow segment entries", () => enterSegmentEntries(ctx)],
    ["workflow anniversaries", () => enterAnniversaries(ctx)],
    ["workflow goals met", () => convertSegmentGoals(ctx)],
    ["overdue workflow runs", () => wakeOverdueRuns(ctx)],
    ["pending workflow webhooks", () => requeuePendingCalls(ctx)],
    ["due webhook deliveries", () => wakeDueEndpoints(db, queues.webhooks)],
    ["housekeeping", () => purgeExpired(db)],
  ];
  try {
    for (const [name, step] of steps) {
      const did = await step().catch((err: unknown) => console.error(`cron: ${name} failed: ${String(err)}`));
      if (worthSaying(did)) console.log(`cron: ${name}: ${JSON.stringify(did)}`);
    }
  } finally {
    await conn.close();
  }
}

/** A step's result is logged when it did something (a count above 0, a list with ids). */
function worthSaying(did: unknown): boolean {
  if (typeof did === "number") return did > 0;
  if (Array.isArray(did)) return did.length > 0;
  if (did && typeof did === "object") return Object.values(did).some((v) => typeof v === "number" && v > 0);
  return false;
}
