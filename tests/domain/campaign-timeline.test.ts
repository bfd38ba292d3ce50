import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { sends } from "../../schema/sends";
import { campaignTimeline, type TimelinePoint } from "../../workers/domain/analytics/timeline";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { newTag, seedCampaign, seedTemplate, useDomainDb } from "../support/domain";

/**
 * The campaign timeline's buckets, on events ingested at chosen times: a twenty-minute send is
 * read per minute (not as one or two hourly dots), a six-hour one per five minutes, a three-day
 * one per hour and a three-week one per day; hourly stays the default; and minutes fall back to
 * hours once the raw events they need have been purged.
 */

const { db } = useDomainDb();
const tag = newTag("tl");
const MIN = 60_000;
let templateId = "";

/** A campaign with `n` sends, and every event given as [kind, send index, minutes after `t0`]. */
async function campaignWith(t0: number, n: number, hits: [EventRecord["kind"], number, number, boolean?][]) {
  const campaignId = await seedCampaign(db, { name: `timeline ${tag}`, templateId });
  const rows = await db
    .insert(sends)
    .values(
      Array.from({ length: n }, (_, i) => ({
        campaignId,
        email: `${tag}-${i}-${t0}@timeline.test`,
        status: "sent" as const,
        sentAt: new Date(t0),
      })),
    )
    .returning({ id: sends.id });
  const records: EventRecord[] = hits.map(([kind, who, minutes, machine], i) => ({
    kind,
    dedupeKey: `${tag}:${campaignId}:${i}`,
    occurredAt: new Date(t0 + minutes * MIN),
    sendId: rows[who]?.id ?? null,
    campaignId,
    machine: machine ?? false,
  }));
  await ingestEvents(db, records, { scannerClickSeconds: 0 });
  return campaignId;
}

const total = (points: TimelinePoint[], key: keyof Omit<TimelinePoint, "hour">) =>
  points.reduce((n, p) => n + p[key], 0);
const at = (points: TimelinePoint[], iso: string) => points.find((p) => p.hour === iso);

// An hour that starts at :40 UTC, so a 20-minute send crosses the hour (two hourly dots).
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 80 * MIN;
let short = "";

beforeAll(async () => {
  templateId = await seedTemplate(db, `timeline ${tag}`);
  short = await campaignWith(T0, 3, [
    ["sent", 0, 0],
    ["sent", 1, 0],
    ["sent", 2, 1],
    ["open", 0, 3],
    ["open", 0, 9],
    ["open", 1, 12],
    ["open", 2, 4, true],
    ["click", 0, 21],
  ]);
}, 60_000);

describe("campaign timeline buckets", () => {
  it("stays hourly by default: the short send is two hourly dots", async () => {
    const t = await campaignTimeline(db, short);
    expect(t.bucket).toBe("hour");
    expect(t.data.map((p) => p.hour)).toEqual([
      new Date(T0 - 40 * MIN).toISOString(),
      new Date(T0 + 20 * MIN).toISOString(),
    ]);
  });

  it("reads a twenty-minute send per minute on auto, adding up to the hours", async () => {
    const hourly = await campaignTimeline(db, short, { bucket: "hour" });
    const t = await campaignTimeline(db, short, { bucket: "auto" });
    expect(t.bucket).toBe("minute");
    for (const key of ["sent", "opens", "uniqueOpens", "machineOpens", "clicks", "uniqueClicks"] as const)
      expect(total(t.data, key), key).toBe(total(hourly.data, key));
    const minute = (m: number) => new Date(T0 + m * MIN).toISOString();
    expect(at(t.data, minute(0))).toMatchObject({ sent: 2 });
    expect(at(t.data, minute(3))).toMatchObject({ opens: 1, uniqueOpens: 1 });
    // The second open of the same person is an open, not a new person.
    expect(at(t.data, minute(9))).toMatchObject({ opens: 1, uniqueOpens: 0 });
    expect(at(t.data, minute(4))).toMatchObject({ machineOpens: 1, opens: 0 });
    expect(at(t.data, minute(21))).toMatchObject({ clicks: 1, uniqueClicks: 1 });
  });

  it("gives five-minute buckets when asked, on five-minute boundaries", async () => {
    const t = await campaignTimeline(db, short, { bucket: "5min" });
    expect(t.bucket).toBe("5min");
    expect(t.data.every((p) => Date.parse(p.hour) % (5 * MIN) === 0)).toBe(true);
    // Minute 9 (a second open) and minute 12 (a first one) fall in two steps.
    expect(at(t.data, new Date(T0 + 5 * MIN).toISOString())).toMatchObject({ opens: 1, uniqueOpens: 0 });
    expect(at(t.data, new Date(T0 + 10 * MIN).toISOString())).toMatchObject({ opens: 1, uniqueOpens: 1 });
  });

  it("picks five minutes for six hours, hours for three days and days for three weeks", async () => {
    const day = 24 * 60;
    const sixHours = await campaignWith(T0 - 7 * 60 * MIN, 1, [
      ["sent", 0, 0],
      ["open", 0, 360],
    ]);
    const threeDays = await campaignWith(T0 - 4 * day * MIN, 1, [
      ["sent", 0, 0],
      ["open", 0, 3 * day],
    ]);
    const threeWeeks = await campaignWith(T0 - 22 * day * MIN, 1, [
      ["sent", 0, 0],
      ["open", 0, 21 * day],
    ]);
    expect((await campaignTimeline(db, sixHours, { bucket: "auto" })).bucket).toBe("5min");
    expect((await campaignTimeline(db, threeDays, { bucket: "auto" })).bucket).toBe("hour");
    const weeks = await campaignTimeline(db, threeWeeks, { bucket: "auto" });
    expect(weeks.bucket).toBe("day");
    expect(weeks.data).toHaveLength(2);
    expect(weeks.data.every((p) => p.hour.endsWith("T00:00:00.000Z"))).toBe(true);
    expect(total(weeks.data, "uniqueOpens")).toBe(1);
  });

  it("falls back to hours when the raw events were purged", async () => {
    const purged = await campaignWith(T0, 1, [
      ["sent", 0, 0],
      ["open", 0, 2],
    ]);
    await db.delete(events).where(eq(events.campaignId, purged));
    const t = await campaignTimeline(db, purged, { bucket: "minute" });
    expect(t.bucket).toBe("hour");
    expect(total(t.data, "uniqueOpens")).toBe(1);
  });
});
