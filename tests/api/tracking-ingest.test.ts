import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sends } from "../../schema/sends";
import { TRACKING_BUCKET_MS } from "../../workers/domain/tracking/dedupe";
import {
  recordFromTrackingMessage,
  recordsFromEventsMessage,
} from "../../workers/domain/tracking/event-message";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { openDb } from "../../workers/lib/db";
import { stack } from "../support/api";
import {
  CHROME,
  db,
  eventsOfSends,
  fixture,
  HOUR,
  idsOf,
  linksOf,
  rollupsOf,
  sendRow,
  tag,
  totals,
  useTrackingData,
} from "../support/tracking";

/**
 * The events consumer's ingestion, called directly: each record stored once, rollups per variant
 * and hour kept exact under redelivery and concurrency, and queue messages read defensively.
 */

useTrackingData();

describe("event ingestion", () => {
  it("stores a batch once: the same records ingested twice count once", async () => {
    const f = await fixture("twice", [HOUR, HOUR]);
    const at = new Date();
    const base = idsOf(f, 0);
    const records: EventRecord[] = [
      { ...base, kind: "open", dedupeKey: `t-${tag}-o1`, occurredAt: at },
      { ...base, kind: "open", dedupeKey: `t-${tag}-o2`, occurredAt: at },
      { ...base, kind: "click", dedupeKey: `t-${tag}-c1`, occurredAt: at, url: "https://a.example/" },
      { ...idsOf(f, 1), kind: "bounce", dedupeKey: `t-${tag}-b1`, occurredAt: at },
      // The same message twice in one batch.
      { ...base, kind: "open", dedupeKey: `t-${tag}-o1`, occurredAt: at },
    ];
    const first = await ingestEvents(db(), records);
    expect(first).toMatchObject({ received: 5, firstOpens: 1, firstClicks: 1 });
    expect(first.inserted).toHaveLength(4);
    const expected = { opens: 2, uniqueOpens: 1, clicks: 1, uniqueClicks: 1, bounces: 1, machineOpens: 0 };
    expect(await totals(f.campaignId)).toEqual(expected);
    const second = await ingestEvents(db(), records);
    expect(second).toMatchObject({ received: 5, inserted: [], firstOpens: 0, firstClicks: 0 });
    expect(await totals(f.campaignId)).toEqual(expected);
    expect(await linksOf(f.campaignId)).toMatchObject([
      { url: "https://a.example/", clicks: 1, uniqueClicks: 1 },
    ]);
  });

  it("keeps rollups per variant and UTC hour, and link rollups with unique clicks per send and URL", async () => {
    const f = await fixture("rollups", [5 * HOUR, 5 * HOUR, 5 * HOUR], 2);
    const h1 = new Date(Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR);
    const h2 = new Date(h1.getTime() + HOUR);
    const at = (h: Date, min: number) => new Date(h.getTime() + min * 60_000);
    const [a, b, c] = [idsOf(f, 0), idsOf(f, 1), idsOf(f, 2)]; // variants 0, 1, 0
    const u1 = "https://shop.example.com/one";
    const u2 = "https://shop.example.com/two";
    let n = 0;
    const ev = (
      ids: typeof a,
      kind: "open" | "click",
      when: Date,
      extra: Partial<EventRecord> = {},
    ): EventRecord => ({
      ...ids,
      kind,
      dedupeKey: `r-${tag}-${n++}`,
      occurredAt: when,
      ...extra,
    });
    await ingestEvents(db(), [
      ev(a, "open", at(h1, 5)),
      ev(a, "open", at(h1, 50)),
      ev(a, "open", at(h1, 1), { machine: true, client: "apple-mpp" }),
      ev(b, "open", at(h1, 10)),
      ev(a, "click", at(h1, 6), { url: u1 }),
      ev(a, "click", at(h1, 7), { url: u1 }),
    ]);
    await ingestEvents(db(), [
      ev(a, "click", at(h2, 1), { url: u2 }),
      ev(a, "open", at(h2, 2)),
      ev(b, "click", at(h2, 3), { url: u1 }),
      ev(c, "click", at(h2, 4), { url: u1, machine: true, client: "scanner:mimecast" }),
      ev(c, "open", at(h2, 4)),
    ]);
    const [v0, v1] = f.variantIds;
    const rows = (await rollupsOf(f.campaignId)).map((r) => ({
      hour: r.hour.toISOString(),
      variant: r.variantId,
      opens: r.opens,
      uniqueOpens: r.uniqueOpens,
      machineOpens: r.machineOpens,
      clicks: r.clicks,
      uniqueClicks: r.uniqueClicks,
    }));
    const row = (h: Date, variant: string | undefined, counts: number[]) => ({
      hour: h.toISOString(),
      variant,
      opens: counts[0],
      uniqueOpens: counts[1],
      machineOpens: counts[2],
      clicks: counts[3],
      uniqueClicks: counts[4],
    });
    expect(rows).toEqual(
      expect.arrayContaining([
        row(h1, v0, [2, 1, 1, 2, 1]),
        row(h1, v1, [1, 1, 0, 0, 0]),
        row(h2, v0, [2, 1, 0, 1, 0]),
        row(h2, v1, [0, 0, 0, 1, 1]),
      ]),
    );
    expect(rows).toHaveLength(4);
    expect(await linksOf(f.campaignId)).toMatchObject([
      { url: u1, clicks: 3, uniqueClicks: 2 },
      { url: u2, clicks: 1, uniqueClicks: 1 },
    ]);
    expect((await sendRow(a.sendId))?.openedAt?.toISOString()).toBe(at(h1, 5).toISOString());
    expect((await sendRow(c.sendId))?.clickedAt).toBeNull();
  });

  it("keeps unique counts exact when batches for the same sends are ingested at once", async () => {
    const f = await fixture("concurrent", [HOUR, HOUR]);
    const other = openDb(stack().databaseUrl);
    try {
      const url = "https://shop.example.com/same";
      const batch = (lane: string): EventRecord[] =>
        f.sends.flatMap((_, i) => [
          { ...idsOf(f, i), kind: "open", dedupeKey: `cc-${tag}-${lane}-o${i}`, occurredAt: new Date() },
          {
            ...idsOf(f, i),
            kind: "click",
            dedupeKey: `cc-${tag}-${lane}-c${i}`,
            occurredAt: new Date(),
            url,
          },
        ]);
      for (let round = 0; round < 3; round++) {
        await Promise.all([
          ingestEvents(db(), batch(`a${round}`)),
          ingestEvents(other.db, batch(`b${round}`)),
        ]);
      }
    } finally {
      await other.close();
    }
    expect(await totals(f.campaignId)).toMatchObject({
      opens: 12,
      uniqueOpens: 2,
      clicks: 12,
      uniqueClicks: 2,
    });
    expect(await linksOf(f.campaignId)).toMatchObject([{ clicks: 12, uniqueClicks: 2 }]);
  });

  it("skips rollups of a campaign that no longer exists instead of failing the batch", async () => {
    const gone = crypto.randomUUID();
    const result = await ingestEvents(db(), [
      { kind: "open", dedupeKey: `gone-${tag}`, occurredAt: new Date(), sendId: 2 ** 40, campaignId: gone },
      {
        kind: "click",
        dedupeKey: `gone-${tag}-c`,
        occurredAt: new Date(),
        campaignId: gone,
        url: "https://x.example/",
      },
    ]);
    expect(result.inserted).toHaveLength(2);
    expect(await rollupsOf(gone)).toEqual([]);
  });

  it("keeps a reader's click apart from a scanner's in the same bucket (the timing rule's key)", async () => {
    const f = await fixture("timed", [HOUR]);
    const ids = idsOf(f, 0);
    const b0 = (Math.floor(Date.now() / TRACKING_BUCKET_MS) - 2) * TRACKING_BUCKET_MS;
    await db()
      .update(sends)
      .set({ sentAt: new Date(b0 + 10_000) })
      .where(eq(sends.id, ids.sendId));
    const click = (ms: number) => ({
      v: 1,
      kind: "click",
      ...ids,
      linkIndex: 0,
      url: "https://shop.example.com/timed",
      at: new Date(b0 + ms).toISOString(),
      ua: CHROME,
      ip: null,
      method: "GET",
      machine: false,
      client: "webmail",
    });
    // A gateway with a browser's agent 3 s after the send, then the reader twice.
    for (const ms of [13_000, 50_000, 60_000]) {
      await ingestEvents(db(), recordsFromEventsMessage(click(ms)).records);
    }
    const rows = await eventsOfSends([ids.sendId]);
    expect(rows.map((r) => [r.machine, r.client])).toEqual([
      [true, "scanner:timing"],
      [false, "webmail"],
    ]);
    expect(await totals(f.campaignId)).toMatchObject({ clicks: 1, uniqueClicks: 1 });
    expect((await sendRow(ids.sendId))?.clickedAt?.getTime()).toBe(b0 + 50_000);
  });

  it("drops malformed queue messages and reads good ones", async () => {
    const good = {
      v: 1,
      kind: "click",
      sendId: 12,
      campaignId: crypto.randomUUID(),
      linkIndex: 2,
      url: "https://a.example/",
      at: new Date().toISOString(),
      ua: "x".repeat(2000),
      ip: null,
      method: "GET",
      machine: false,
      client: "webmail",
      dedupeKey: "c:12:abc",
    };
    const record = recordFromTrackingMessage(good);
    // The key the edge once sent is not used: the event is named by send, link, bucket and class.
    const bucket = Math.floor(Date.parse(good.at) / TRACKING_BUCKET_MS);
    expect(record).toMatchObject({
      kind: "click",
      sendId: 12,
      url: "https://a.example/",
      data: { linkIndex: 2 },
      dedupeKey: `c:12:2:${bucket}:h`,
    });
    expect(record?.userAgent).toHaveLength(512);
    for (const bad of [
      null,
      "text",
      { ...good, v: 2 },
      { ...good, kind: "bounce" },
      { ...good, sendId: "12" },
      { ...good, sendId: 0 },
      { ...good, campaignId: "nope" },
      { ...good, url: "javascript:alert(1)" },
      { ...good, linkIndex: undefined },
      { ...good, at: "yesterday" },
      { ...good, method: "POST" },
      { ...good, machine: "no" },
    ]) {
      expect(recordFromTrackingMessage(bad), JSON.stringify(bad)?.slice(0, 80)).toBeNull();
    }
  });

  it("reads packs of events, dropping only their malformed events", () => {
    const event = (sendId: number, extra: Record<string, unknown> = {}) => ({
      v: 1,
      kind: "open",
      sendId,
      at: new Date().toISOString(),
      ua: "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0",
      ip: null,
      method: "GET",
      machine: false,
      client: "webmail",
      ...extra,
    });
    const pack = { v: 1, events: [event(7), event(0), event(9)] };
    const read = recordsFromEventsMessage(pack);
    expect(read.dropped).toBe(1);
    expect(read.records.map((r) => r.sendId)).toEqual([7, 9]);
    // A single event (what producers sent before packs) still reads.
    expect(recordsFromEventsMessage(event(8)).records).toHaveLength(1);
    for (const bad of [
      { v: 2, events: [event(7)] },
      { v: 1, events: "nope" },
      { v: 1, events: Array.from({ length: 1001 }, (_, i) => event(i + 1)) },
      null,
    ]) {
      const r = recordsFromEventsMessage(bad);
      expect(r.records, JSON.stringify(bad)?.slice(0, 60)).toEqual([]);
      expect(r.dropped).toBeGreaterThan(0);
    }
  });
});
