import { and, lte, sql } from "drizzle-orm";
import { campaigns } from "../../schema/campaigns";
import { systemActor } from "../domain/actor";
import { enqueueImportChunks } from "../domain/audience/imports/imports";
import { claimStalledImports } from "../domain/audience/imports/stalled";
import {
  chunkJobs,
  completeIfDone,
  enqueueJobs,
  findStalledWork,
  markChunksQueued,
  type SendJob,
} from "../domain/campaigns/dispatch";
import { startCampaign } from "../domain/campaigns/lifecycle";
import { resumeWhereRelaysAnswer } from "../domain/campaigns/relay-wait";
import { purgeRateLimits } from "../domain/rate-limit";
import { leaseSeconds } from "../domain/sending/lease";
import type { TransactionalJob } from "../domain/sending/transactional";
import { findStrandedTransactional } from "../domain/sending/transactional-ledger";
import { purgeExpiredRefreshTokens } from "../domain/sessions";
import { purgeLoginAttempts } from "../domain/throttle";
import { purgeOldEvents } from "../domain/tracking/retention";
import type { Env } from "../env";
import { type Database, openDbFor } from "../lib/db";

/**
 * The every-minute ticker: finds due work and hands it to the sends queue (scheduled campaigns,
 * A/B tests whose wait is over, chunks whose message was lost), and does light housekeeping. It
 * never sends anything itself. Each step runs on its own, so one failing step skips only itself.
 */
export async function runCron(_controller: ScheduledController, env: Env): Promise<void> {
  const conn = openDbFor(env);
  const steps: Array<[string, (db: Database) => Promise<unknown>]> = [
    ["scheduled campaigns", (db) => startDueCampaigns(db, env)],
    ["A/B winners", (db) => decideDueTests(db, env)],
    ["stalled sends", (db) => requeueStalled(db, env)],
    ["relays that answer again", (db) => resumeWaiting(db, env)],
    ["stranded transactional sends", (db) => requeueTransactional(db, env)],
    ["stalled imports", (db) => requeueImports(db, env)],
    ["housekeeping", housekeeping],
  ];
  try {
    for (const [name, step] of steps) {
      await step(conn.db).catch((err: unknown) => console.error(`cron: ${name} failed: ${String(err)}`));
    }
  } finally {
    await conn.close();
  }
}

/** Scheduled campaigns whose time has come start now (the consumer freezes their audience). */
async function startDueCampaigns(db: Database, env: Env): Promise<void> {
  const due = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(sql`${campaigns.status} = 'scheduled'`, lte(campaigns.sendAt, new Date())))
    .limit(100);
  for (const { id } of due) {
    try {
      await startCampaign({ db, actor: systemActor("scheduler") }, id);
      await enqueueJobs(env.SENDS_QUEUE, [{ type: "start", campaignId: id }]);
    } catch (err) {
      // Not sendable any more (template deleted, audience empty): leave it scheduled and say why.
      console.error(`cron: campaign ${id} could not start: ${String(err)}`);
      await db
        .update(campaigns)
        .set({ pausedReason: `Could not start: ${String(err).slice(0, 300)}` })
        .where(sql`${campaigns.id} = ${id}`);
    }
  }
}

async function decideDueTests(db: Database, env: Env): Promise<void> {
  const due = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(sql`${campaigns.status} = 'testing'`, lte(campaigns.testEndsAt, new Date())));
  const jobs: SendJob[] = due.map(({ id }) => ({ type: "winner", campaignId: id }));
  await enqueueJobs(env.SENDS_QUEUE, jobs);
}

async function requeueStalled(db: Database, env: Env): Promise<void> {
  const stalled = await findStalledWork(db, leaseSeconds(env));
  await enqueueJobs(
    env.SENDS_QUEUE,
    stalled.starts.map((campaignId) => ({ type: "start", campaignId })),
  );
  const byCampaign = new Map<string, number[]>();
  for (const c of stalled.chunks)
    byCampaign.set(c.campaignId, [...(byCampaign.get(c.campaignId) ?? []), c.seq]);
  for (const [campaignId, seqs] of byCampaign) {
    await markChunksQueued(db, campaignId, seqs);
    await enqueueJobs(env.SENDS_QUEUE, chunkJobs(campaignId, seqs));
    console.log(`cron: re-queued ${seqs.length} stalled chunk(s) of campaign ${campaignId}`);
  }
  for (const id of stalled.finished) await completeIfDone(db, id);
}

async function resumeWaiting(db: Database, env: Env): Promise<void> {
  const resumed = await resumeWhereRelaysAnswer(db, env, env.SENDS_QUEUE);
  if (resumed.length > 0) console.log(`cron: the relay answers again; resumed ${resumed.length} campaign(s)`);
}

async function requeueTransactional(db: Database, env: Env): Promise<void> {
  const ids = await findStrandedTransactional(db, leaseSeconds(env));
  for (let i = 0; i < ids.length; i += 100) {
    await env.SENDS_QUEUE.sendBatch(
      ids
        .slice(i, i + 100)
        .map((sendId) => ({ body: { type: "transactional", sendId } satisfies TransactionalJob })),
    );
  }
  if (ids.length > 0) console.log(`cron: re-queued ${ids.length} stranded transactional send(s)`);
}

async function requeueImports(db: Database, env: Env): Promise<void> {
  for (const { importId, seqs } of await claimStalledImports(db, leaseSeconds(env))) {
    await enqueueImportChunks(env.IMPORTS_QUEUE, importId, seqs);
    console.log(`cron: re-queued ${seqs.length} chunk(s) of stalled import ${importId}`);
  }
}

async function housekeeping(db: Database): Promise<void> {
  const tokens = await purgeExpiredRefreshTokens(db);
  const attempts = await purgeLoginAttempts(db);
  await purgeRateLimits(db);
  const events = await purgeOldEvents(db);
  if (tokens + attempts + events > 0) {
    console.log(
      `cron: purged ${tokens} expired refresh tokens, ${attempts} login windows, ${events} old events`,
    );
  }
}
