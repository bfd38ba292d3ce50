import { describe, expect, it } from "vitest";
import { TRACKING_BUCKET_MS } from "../../workers/domain/tracking/dedupe";
import { recordsFromEventsMessage } from "../../workers/domain/tracking/event-message";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { signClick, signOpen } from "../../workers/lib/tracking-token";
import {
  asRecords,
  CHROME,
  db,
  eventsOfSends,
  fixture,
  GMAIL_PROXY,
  HOUR,
  hit,
  idsOf,
  linksOf,
  rollupsOf,
  secret,
  sendRow,
  totals,
  useTrackingData,
  waitForEvents,
} from "../support/tracking";

/**
 * Opens and clicks from the tracking path to the events table, through the Worker's queue: what
 * each request records, bursts and replays, and the machine (privacy proxy, link scanner) flags.
 */

useTrackingData();

describe("tracking endpoints: events through the queue", { timeout: 90_000 }, () => {
  it("records one open and one click per request, with what the request showed", async () => {
    const f = await fixture("recorded", [HOUR, HOUR]);
    const ids = idsOf(f, 0);
    const url = "https://shop.example.com/recorded";
    const open = await hit(`/o/${await signOpen(secret(), ids)}`, {
      headers: { "cf-connecting-ip": "203.0.113.7" },
    });
    expect(open.status).toBe(200);
    const click = await hit(`/c/${await signClick(secret(), { ...ids, linkIndex: 4, url })}`);
    expect(click.status).toBe(302);
    // A bad token for the second send is answered but never recorded.
    await hit(`/o/${(await signOpen(secret(), idsOf(f, 1))).slice(0, -3)}AAA`);
    await hit(`/o/${await signOpen(secret(), idsOf(f, 1))}`, { method: "HEAD" });
    const rows = await waitForEvents([ids.sendId], 2);
    expect(rows.map((r) => r.kind).sort()).toEqual(["click", "open"]);
    const o = rows.find((r) => r.kind === "open");
    const c = rows.find((r) => r.kind === "click");
    expect(o).toMatchObject({
      campaignId: f.campaignId,
      subscriberId: ids.subscriberId,
      machine: false,
      client: "webmail",
      userAgent: CHROME,
      url: null,
    });
    expect(o?.dedupeKey).toMatch(new RegExp(`^o:${ids.sendId}:`));
    expect(c).toMatchObject({ url, machine: false, client: "webmail", data: { linkIndex: 4 } });
    expect(Math.abs((o?.occurredAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    const ip = o?.ip;
    expect(ip === "203.0.113.7" || ip === "127.0.0.1" || ip === "::1", String(ip)).toBe(true);
    const send = await sendRow(ids.sendId);
    expect(send?.openedAt).not.toBeNull();
    expect(send?.clickedAt).not.toBeNull();
    // The bad token and the HEAD left nothing: after the good events arrived, the other send has none.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await eventsOfSends([idsOf(f, 1).sendId])).toEqual([]);
    expect(await totals(f.campaignId)).toMatchObject({
      opens: 1,
      uniqueOpens: 1,
      clicks: 1,
      uniqueClicks: 1,
    });
  });

  it("carries a burst of opens as packs of events, each stored once", async () => {
    // One open per send: a burst of one token would be one event (see the replay test below).
    const f = await fixture(
      "burst",
      Array.from({ length: 150 }, () => HOUR),
    );
    const tokens = await Promise.all(f.sends.map((_, i) => signOpen(secret(), idsOf(f, i))));
    // More than the 100 messages a sendBatch may hold, within one flush of the isolate's outbox.
    const answers = await Promise.all(tokens.map((token) => hit(`/o/${token}`)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const rows = await waitForEvents(
      f.sends.map((s) => s.id),
      150,
    );
    expect(new Set(rows.map((r) => r.sendId)).size).toBe(150);
    expect(await totals(f.campaignId)).toMatchObject({ opens: 150, uniqueOpens: 150 });
  });

  it("a replayed open and click add at most one event per 5-minute bucket; the link still redirects", async () => {
    const f = await fixture("replay", [HOUR]);
    const ids = idsOf(f, 0);
    const url = "https://shop.example.com/replayed";
    const open = `/o/${await signOpen(secret(), ids)}`;
    const click = `/c/${await signClick(secret(), { ...ids, linkIndex: 0, url })}`;
    const bucket = () => Math.floor(Date.now() / TRACKING_BUCKET_MS);
    const firstBucket = bucket();
    for (let i = 0; i < 50; i++) {
      const [o, c, proxy] = await Promise.all([hit(open), hit(click), hit(open, { ua: "Mozilla/5.0" })]);
      expect(o.status).toBe(200);
      expect(proxy.status).toBe(200);
      expect(c.status).toBe(302);
      expect(c.headers.get("location")).toBe(url);
    }
    // One bucket, or two if the replay happened to cross a bucket boundary.
    const buckets = bucket() - firstBucket + 1;
    await waitForEvents([ids.sendId], 3);
    await new Promise((r) => setTimeout(r, 2500)); // anything else queued has arrived by now
    const rows = await eventsOfSends([ids.sendId]);
    const count = (kind: string, machine: boolean) =>
      rows.filter((r) => r.kind === kind && r.machine === machine).length;
    for (const [kind, machine] of [
      ["open", false],
      ["open", true],
      ["click", false],
    ] as const) {
      expect(count(kind, machine), `${kind} machine=${machine}`).toBeGreaterThanOrEqual(1);
      expect(count(kind, machine), `${kind} machine=${machine}`).toBeLessThanOrEqual(buckets);
    }
    expect(rows).toHaveLength(count("open", false) + count("open", true) + count("click", false));
    const t = await totals(f.campaignId);
    expect(t).toMatchObject({ uniqueOpens: 1, uniqueClicks: 1 });
    expect(t.opens).toBe(count("open", false));
    expect(t.machineOpens).toBe(count("open", true));
    expect(t.clicks).toBe(count("click", false));
  });

  it("counts a re-open in a later bucket in opens, and repeats within a bucket once; unique opens once", async () => {
    const f = await fixture("repeat", [5 * HOUR]);
    const ids = idsOf(f, 0);
    // Messages as the endpoints queue them, at chosen times: the start of a bucket 4 buckets ago.
    const b0 = (Math.floor(Date.now() / TRACKING_BUCKET_MS) - 4) * TRACKING_BUCKET_MS;
    const open = (ms: number, extra: Record<string, unknown> = {}) => ({
      v: 1,
      kind: "open",
      sendId: ids.sendId,
      campaignId: ids.campaignId,
      subscriberId: ids.subscriberId,
      at: new Date(b0 + ms).toISOString(),
      ua: CHROME,
      ip: null,
      method: "GET",
      machine: false,
      client: "webmail",
      ...extra,
    });
    const mpp = { ua: "Mozilla/5.0", machine: true, client: "apple-mpp" };
    const { records } = recordsFromEventsMessage({
      v: 1,
      events: [
        open(1_000, mpp),
        open(2_000, mpp),
        open(10_000),
        open(70_000),
        open(TRACKING_BUCKET_MS - 1),
        open(TRACKING_BUCKET_MS + 5_000),
        open(2 * TRACKING_BUCKET_MS + 5_000),
      ],
    });
    await ingestEvents(db(), records.slice(0, 4));
    await ingestEvents(db(), records.slice(4));
    expect(await totals(f.campaignId)).toMatchObject({ opens: 3, uniqueOpens: 1, machineOpens: 1 });
    expect((await sendRow(ids.sendId))?.openedAt?.getTime()).toBe(b0 + 10_000);
    expect(await eventsOfSends([ids.sendId])).toHaveLength(4);
  });

  it("flags Apple MPP and GoogleImageProxy opens as machine, out of the human counts", async () => {
    const f = await fixture("proxies", [HOUR, HOUR]);
    const [mpp, gmail] = [await signOpen(secret(), idsOf(f, 0)), await signOpen(secret(), idsOf(f, 1))];
    await hit(`/o/${mpp}`, { ua: "Mozilla/5.0" });
    await hit(`/o/${gmail}`, { ua: GMAIL_PROXY });
    const rows = await waitForEvents([idsOf(f, 0).sendId, idsOf(f, 1).sendId], 2);
    expect(rows.map((r) => [r.sendId, r.machine, r.client])).toEqual([
      [idsOf(f, 0).sendId, true, "apple-mpp"],
      [idsOf(f, 1).sendId, true, "gmail-proxy"],
    ]);
    expect(await totals(f.campaignId)).toMatchObject({ opens: 0, uniqueOpens: 0, machineOpens: 2 });
    expect((await sendRow(idsOf(f, 0).sendId))?.openedAt).toBeNull();
    // The person behind the proxy opens it for real later: that one counts.
    await hit(`/o/${mpp}`, { ua: CHROME });
    await waitForEvents([idsOf(f, 0).sendId, idsOf(f, 1).sendId], 3);
    expect(await totals(f.campaignId)).toMatchObject({ opens: 1, uniqueOpens: 1, machineOpens: 2 });
  });

  it("flags HEAD clicks, scanner agents and clicks within 10 s of the send", async () => {
    // Sends 0 and 2 went out an hour ago, send 1 just now.
    const f = await fixture("scanners", [HOUR, 0, HOUR]);
    const url = "https://shop.example.com/scanned";
    const link = async (i: number) =>
      `/c/${await signClick(secret(), { ...idsOf(f, i), linkIndex: 0, url })}`;
    expect((await hit(await link(0), { method: "HEAD" })).status).toBe(302);
    expect(
      (await hit(await link(0), { ua: "Mozilla/5.0 (compatible; Proofpoint URL Defense)" })).status,
    ).toBe(302);
    expect((await hit(await link(1))).status).toBe(302);
    expect((await hit(await link(2))).status).toBe(302);
    const all = f.sends.map((s) => s.id);
    const rows = await waitForEvents(all, 4);
    const bySend = (i: number) =>
      rows.filter((r) => r.sendId === f.sends[i]?.id).map((r) => [r.machine, r.client]);
    expect(bySend(0).sort()).toEqual([
      [true, "scanner:head"],
      [true, "scanner:proofpoint"],
    ]);
    expect(bySend(1)).toEqual([[true, "scanner:timing"]]);
    expect(bySend(2)).toEqual([[false, "webmail"]]);
    expect(await totals(f.campaignId)).toMatchObject({ clicks: 1, uniqueClicks: 1 });
    expect(await linksOf(f.campaignId)).toMatchObject([{ url, clicks: 1, uniqueClicks: 1 }]);
    expect((await sendRow(f.sends[0]?.id ?? 0))?.clickedAt).toBeNull();
    expect((await sendRow(f.sends[1]?.id ?? 0))?.clickedAt).toBeNull();
    expect((await sendRow(f.sends[2]?.id ?? 0))?.clickedAt).not.toBeNull();
  });

  it("changes nothing when the queue's events are delivered again", async () => {
    const f = await fixture("redelivered", [HOUR]);
    const ids = idsOf(f, 0);
    await hit(`/o/${await signOpen(secret(), ids)}`);
    await hit(`/c/${await signClick(secret(), { ...ids, linkIndex: 0, url: "https://shop.example.com/r" })}`);
    const rows = await waitForEvents([ids.sendId], 2);
    const before = {
      rollups: await rollupsOf(f.campaignId),
      links: await linksOf(f.campaignId),
      send: await sendRow(ids.sendId),
    };
    const again = await ingestEvents(db(), asRecords(rows));
    expect(again).toMatchObject({ received: 2, inserted: [], firstOpens: 0, firstClicks: 0 });
    expect(await eventsOfSends([ids.sendId])).toHaveLength(2);
    expect(await rollupsOf(f.campaignId)).toEqual(before.rollups);
    expect(await linksOf(f.campaignId)).toEqual(before.links);
    expect(await sendRow(ids.sendId)).toEqual(before.send);
  });
});
