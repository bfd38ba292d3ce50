import { and, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { settings } from "../../schema/settings";
import { purgeOldEvents } from "../../workers/domain/tracking/retention";
import { db, tag, useTrackingData } from "../support/tracking";

/** The purge of raw events past their retention (rollups stay). */

useTrackingData();

describe("event retention", () => {
  it("purges only raw events older than the retention, in bounded batches", async () => {
    const day = 86_400_000;
    const mk = (key: string, agoDays: number) => ({
      kind: "open" as const,
      dedupeKey: `ret-${tag}-${key}`,
      occurredAt: new Date(Date.now() - agoDays * day),
    });
    await db()
      .insert(events)
      .values([mk("old1", 500), mk("old2", 450), mk("old3", 401), mk("mid", 100), mk("new", 0)]);
    const mine = async () =>
      (
        await db()
          .select({ k: events.dedupeKey })
          .from(events)
          .where(sql`${events.dedupeKey} like ${`ret-${tag}-%`}`)
      )
        .map((r) => r.k.replace(`ret-${tag}-`, ""))
        .sort();
    expect(await purgeOldEvents(db(), 400, { batchSize: 2, maxBatches: 1 })).toBe(2);
    expect(await mine()).toHaveLength(3);
    await purgeOldEvents(db(), 400);
    expect(await mine()).toEqual(["mid", "new"]);
    // The `retention` setting is the default; tried in a transaction that is rolled back, so the
    // shared settings table is left as it was.
    await db()
      .transaction(async (tx) => {
        await tx
          .insert(settings)
          .values({ key: "retention", value: { eventsDays: 30 } })
          .onConflictDoUpdate({ target: settings.key, set: { value: { eventsDays: 30 } } });
        await purgeOldEvents(tx);
        const left = await tx
          .select({ k: events.dedupeKey })
          .from(events)
          .where(and(sql`${events.dedupeKey} like ${`ret-${tag}-%`}`));
        expect(left.map((r) => r.k)).toEqual([`ret-${tag}-new`]);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!String(err).includes("Rollback")) throw err;
      });
    expect(await mine()).toEqual(["mid", "new"]);
  });
});
