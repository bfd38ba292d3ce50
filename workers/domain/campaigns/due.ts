import { eq, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { queryRows } from "../../lib/db";
import { systemActor } from "../actor";
import type { DomainContext } from "../context";
import { startCampaign } from "./lifecycle";
import { dueToStartSql } from "./local-time";

/**
 * The cron's part of scheduling: scheduled campaigns whose time has come by `now` (the cron's
 * scheduled time) start now (the sends consumer freezes their audience); a local-time campaign
 * starts when the first zone on Earth reaches its time (local-time.ts). One that can no longer be
 * sent (template deleted, audience empty) stays scheduled and says why. Returns how many started.
 */
export async function startDueCampaigns(ctx: DomainContext, now: Date = new Date()): Promise<number> {
  const { db } = ctx;
  const due = await queryRows<{ id: string }>(
    db,
    sql`select c.id from ${campaigns} c where ${await dueToStartSql(db, now)} order by c.send_at limit 100`,
  );
  let started = 0;
  for (const { id } of due) {
    try {
      await startCampaign({ ...ctx, actor: systemActor("scheduler") }, id, { scheduled: true });
      started++;
    } catch (err) {
      console.error(`cron: campaign ${id} could not start: ${String(err)}`);
      await db
        .update(campaigns)
        .set({ pausedReason: `Could not start: ${String(err).slice(0, 300)}` })
        .where(eq(campaigns.id, id));
    }
  }
  return started;
}
