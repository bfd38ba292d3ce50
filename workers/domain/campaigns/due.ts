import { and, eq, lte, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { systemActor } from "../actor";
import type { DomainContext } from "../context";
import { startCampaign } from "./lifecycle";

/**
 * The cron's part of scheduling: scheduled campaigns whose time has come start now (the sends
 * consumer freezes their audience). One that can no longer be sent (template deleted, audience
 * empty) stays scheduled and says why. Returns how many started.
 */
export async function startDueCampaigns(ctx: DomainContext): Promise<number> {
  const { db } = ctx;
  const due = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(sql`${campaigns.status} = 'scheduled'`, lte(campaigns.sendAt, new Date())))
    .limit(100);
  let started = 0;
  for (const { id } of due) {
    try {
      await startCampaign({ ...ctx, actor: systemActor("scheduler") }, id);
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
