import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { zonedToInstant } from "../../dashboard/src/pages/campaigns/zoned-time";
import { campaigns } from "../../schema/campaigns";
import { sendChunks, sends } from "../../schema/sends";
import { subscribers } from "../../schema/subscribers";
import { coarseZone, recordSeenZones } from "../../workers/domain/audience/zone";
import { freezeCampaign } from "../../workers/domain/campaigns/freeze";
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  startCampaign,
} from "../../workers/domain/campaigns/lifecycle";
import { dueToStartSql } from "../../workers/domain/campaigns/local-time";
import { campaignStats } from "../../workers/domain/campaigns/stats";
import type { SendJob } from "../../workers/domain/jobs";
import { releaseDueChunks } from "../../workers/domain/sending/chunks";
import { getSettingsOf } from "../../workers/domain/settings";
import { queryRows } from "../../workers/lib/db";
import {
  contextWithQueues,
  newTag,
  seedCampaign,
  seedList,
  seedSubscribers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * Local-time campaigns on a real database, time moved by hand: each recipient's zone resolved
 * once at the freeze (field, then where they were seen, then the organisation's), chunks per zone
 * released by the cron's step in zone order at the time it is given, a pause holding the zones
 * still to come, a cancel closing them. (tests/pipeline/local-time.test.ts sends them for real.)
 */

const { db } = useDomainDb();
const tag = newTag("local");
const ZONES = ["Pacific/Auckland", "Europe/Berlin", "America/New_York"] as const;
let templateId = "";
let listId = "";
let orgZone = "UTC";
/** Three days ahead, so nothing here is due at the real time. */
const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const at = (zone: string) => new Date(zonedToInstant(day, "09:00", zone)?.epochMs ?? Number.NaN);
const sec = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

beforeAll(async () => {
  orgZone = (await getSettingsOf(db, ["timezone"])).timezone;
  templateId = await seedTemplate(db, `local ${tag}`);
  listId = await seedList(db, `local ${tag}`);
  const member = { lists: { [listId]: "confirmed" as const } };
  const subs = await seedSubscribers(db, tag, {
    akl1: member,
    akl2: member,
    /** The field wins over where they were seen. */
    ber: { ...member, fields: { timezone: "Europe/Berlin" } },
    nyc: member,
    /** A field that names no zone falls through to the seen one. */
    odd: { ...member, fields: { timezone: "Mars/Olympus_Mons" } },
  });
  await recordSeenZones(db, [
    { subscriberId: subs.akl1.id, zone: "Pacific/Auckland", at: new Date() },
    { subscriberId: subs.akl2.id, zone: "Pacific/Auckland", at: new Date() },
    { subscriberId: subs.ber.id, zone: "Asia/Tokyo", at: new Date() },
    { subscriberId: subs.nyc.id, zone: "America/New_York", at: new Date() },
    { subscriberId: subs.odd.id, zone: "America/New_York", at: new Date() },
  ]);
});

/** A local-time campaign to the suite's list for 09:00 Berlin time on `day`, scheduled. */
async function scheduled(name: string, ctx = contextWithQueues(db)) {
  const id = await seedCampaign(db, { name: `${name} ${tag}`, templateId, listIds: [listId] });
  const sendAt = zonedToInstant(day, "09:00", "Europe/Berlin")?.iso ?? "";
  const view = await scheduleCampaign(ctx, id, { sendAt, timezone: "Europe/Berlin", localTime: true });
  expect(view).toMatchObject({ status: "scheduled", localTime: true });
  return id;
}

/** Whether the cron would start campaign `id` at `now`. */
async function dueAt(id: string, now: Date): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select c.id from campaigns c where c.id = ${id}::uuid and ${await dueToStartSql(db, now)}`,
  );
  return rows.length === 1;
}

/** The zones of the chunks the recorded messages name, in the order they were queued. */
async function zonesQueued(id: string, jobs: SendJob[]): Promise<string[]> {
  const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
  const zoneOf = new Map(chunks.map((k) => [k.seq, k.timezone]));
  return jobs.flatMap((j) => (j.type === "chunk" && j.campaignId === id ? [zoneOf.get(j.seq) ?? "?"] : []));
}

/** Started by the scheduler and frozen, as the cron and the sends consumer do. */
async function startAndFreeze(id: string, ctx = contextWithQueues(db)) {
  await startCampaign(ctx, id, { scheduled: true });
  return freezeCampaign(db, id);
}

describe("local-time campaigns", () => {
  it("resolves each recipient's zone once: the field, else where they were seen, else the organisation's", async () => {
    const lonely = await seedSubscribers(db, `${tag}x`, { none: { lists: { [listId]: "confirmed" } } });
    const id = await scheduled("zones");
    expect(await startAndFreeze(id)).toEqual([]);
    const rows = await db
      .select({ email: sends.email, timezone: sends.timezone })
      .from(sends)
      .where(eq(sends.campaignId, id));
    const byKey = Object.fromEntries(rows.map((r) => [r.email.split("-")[0], r.timezone]));
    expect(byKey).toEqual({
      akl1: "Pacific/Auckland",
      akl2: "Pacific/Auckland",
      ber: "Europe/Berlin",
      nyc: "America/New_York",
      odd: "America/New_York",
      none: orgZone,
    });
    await db.delete(subscribers).where(eq(subscribers.id, lonely.none.id));
  });

  it("starts when the first zone on Earth reaches the time, and releases each zone at its own time, in order", async () => {
    const ctx = contextWithQueues(db);
    const id = await scheduled("order", ctx);
    const firstOnEarth = at("Etc/GMT-14");
    expect(await dueAt(id, sec(firstOnEarth, -60))).toBe(false);
    expect(await dueAt(id, sec(firstOnEarth, 1))).toBe(true);
    expect(await startAndFreeze(id, ctx)).toEqual([]);
    const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    for (const k of chunks) {
      expect(k.status).toBe("pending");
      expect(k.releaseAt?.toISOString()).toBe(at(k.timezone ?? "").toISOString());
    }
    const seen = ctx.queues.sends.messages;
    const released: string[][] = [];
    for (const zone of ZONES) {
      const before = seen.length;
      await releaseDueChunks(db, ctx.queues.sends, sec(at(zone), -1));
      expect(await zonesQueued(id, seen.slice(before))).toEqual([]);
      await releaseDueChunks(db, ctx.queues.sends, sec(at(zone), 1));
      released.push(await zonesQueued(id, seen.slice(before)));
    }
    expect(released).toEqual([["Pacific/Auckland"], ["Europe/Berlin"], ["America/New_York"]]);
    const stats = await campaignStats(db, id);
    expect(stats.zones?.map((z) => [z.timezone, z.audience, z.released, z.localReleaseAt])).toEqual(
      expect.arrayContaining([
        ["Pacific/Auckland", 2, 2, `${day} 09:00`],
        ["Europe/Berlin", 1, 1, `${day} 09:00`],
        ["America/New_York", 2, 2, `${day} 09:00`],
      ]),
    );
  });

  it("holds the zones still to come while paused, and a resume does not release them early", async () => {
    const ctx = contextWithQueues(db);
    const id = await scheduled("pause", ctx);
    await startAndFreeze(id, ctx);
    await releaseDueChunks(db, ctx.queues.sends, sec(at("Pacific/Auckland"), 1));
    await pauseCampaign(ctx, id);
    const seen = ctx.queues.sends.messages;
    let before = seen.length;
    await releaseDueChunks(db, ctx.queues.sends, sec(at("America/New_York"), 1));
    expect(await zonesQueued(id, seen.slice(before))).toEqual([]);
    before = seen.length;
    await resumeCampaign(ctx, id);
    // Auckland's chunk goes again (no consumer took it here); the others wait for their time.
    expect(await zonesQueued(id, seen.slice(before))).toEqual(["Pacific/Auckland"]);
    const stats = await campaignStats(db, id);
    expect(stats.zones?.map((z) => [z.timezone, z.status])).toEqual([
      ["Pacific/Auckland", "sending"],
      ["Europe/Berlin", "waiting"],
      ["America/New_York", "waiting"],
    ]);
    before = seen.length;
    await releaseDueChunks(db, ctx.queues.sends, sec(at("America/New_York"), 1));
    expect((await zonesQueued(id, seen.slice(before))).sort()).toEqual(["America/New_York", "Europe/Berlin"]);
  });

  it("closes the zones still to come on a cancel: they are skipped, never released", async () => {
    const ctx = contextWithQueues(db);
    const id = await scheduled("cancel", ctx);
    await startAndFreeze(id, ctx);
    await releaseDueChunks(db, ctx.queues.sends, sec(at("Pacific/Auckland"), 1));
    await cancelCampaign(ctx, id);
    const before = ctx.queues.sends.messages.length;
    await releaseDueChunks(db, ctx.queues.sends, sec(at("America/New_York"), 1));
    expect(await zonesQueued(id, ctx.queues.sends.messages.slice(before))).toEqual([]);
    const skipped = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(sends)
      .where(and(eq(sends.campaignId, id), eq(sends.status, "skipped")));
    expect(skipped[0]?.n).toBe(5);
  });

  it("sends at once everywhere on 'send now', and refuses local time with an A/B test", async () => {
    const ctx = contextWithQueues(db);
    const id = await scheduled("now", ctx);
    const view = await startCampaign(ctx, id);
    expect(view.localTime).toBe(false);
    expect((await freezeCampaign(db, id)).length).toBeGreaterThan(0);
    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row?.localTime).toBe(false);
    const ab = await seedCampaign(db, {
      name: `ab ${tag}`,
      templateId,
      listIds: [listId],
      abTest: {
        variants: [{ name: "A" }, { name: "B", subject: "B" }],
        testPercent: 50,
        metric: "opens",
        waitMinutes: 60,
      },
    });
    const sendAt = zonedToInstant(day, "09:00", "Europe/Berlin")?.iso ?? "";
    await expect(scheduleCampaign(ctx, ab, { sendAt, localTime: true })).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe("seen time zones", () => {
  it("keeps a coarse IANA zone only", () => {
    expect(coarseZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(coarseZone("America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    for (const bad of ["Etc/GMT+5", "+02:00", "UTC", "Mars/Base", "", 5, null, `Europe/${"x".repeat(80)}`])
      expect(coarseZone(bad)).toBeNull();
  });

  it("keeps the latest sighting; a signup form only fills a zone never seen", async () => {
    const { ann } = await seedSubscribers(db, `${tag}s`, { ann: {} });
    const zoneOf = async () =>
      (await db.select().from(subscribers).where(eq(subscribers.id, ann.id)))[0]?.seenTimezone;
    await recordSeenZones(db, [{ email: ann.email.toUpperCase(), zone: "Asia/Tokyo", at: new Date(1000) }], {
      onlyIfUnknown: true,
    });
    expect(await zoneOf()).toBe("Asia/Tokyo");
    await recordSeenZones(db, [{ email: ann.email, zone: "Europe/Paris", at: new Date() }], {
      onlyIfUnknown: true,
    });
    expect(await zoneOf()).toBe("Asia/Tokyo");
    await recordSeenZones(db, [
      { subscriberId: ann.id, zone: "Europe/Lisbon", at: new Date(5000) },
      { subscriberId: ann.id, zone: "Africa/Nairobi", at: new Date(9000) },
    ]);
    expect(await zoneOf()).toBe("Africa/Nairobi");
    await recordSeenZones(db, [{ subscriberId: ann.id, zone: "Europe/Oslo", at: new Date(7000) }]);
    expect(await zoneOf()).toBe("Africa/Nairobi");
    await recordSeenZones(db, [{ subscriberId: ann.id, zone: "Etc/GMT+3", at: new Date() }]);
    expect(await zoneOf()).toBe("Africa/Nairobi");
  });
});
