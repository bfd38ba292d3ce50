import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, campaignVariants } from "../../schema/campaigns";
import { campaignRollupsHourly, events, linkRollups } from "../../schema/events";
import { sends } from "../../schema/sends";
import { settings } from "../../schema/settings";
import { subscribers } from "../../schema/subscribers";
import { templates } from "../../schema/templates";
import { TRACKING_BUCKET_MS } from "../../workers/domain/tracking/dedupe";
import {
  recordFromTrackingMessage,
  recordsFromEventsMessage,
} from "../../workers/domain/tracking/event-message";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { purgeOldEvents } from "../../workers/domain/tracking/retention";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { signClick, signOpen } from "../../workers/lib/tracking-token";
import { PIXEL_GIF } from "../../workers/track/responses";
import { stack } from "../support/api";

const tag = Math.random().toString(36).slice(2, 8);
const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const GMAIL_PROXY =
  "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
const HOUR = 3_600_000;

let conn: DbConnection;
let templateId: string;
const secret = () => stack().secrets.TRACKING_SECRET as string;

interface Fixture {
  campaignId: string;
  variantIds: string[];
  /** One send per entry of `sentAgoMs` (null: not sent yet), each to its own subscriber. */
  sends: { id: number; subscriberId: string; variantId: string | null }[];
}

/** A campaign of this suite's own, with `variants` variants and one send per `sentAgoMs` entry. */
async function fixture(name: string, sentAgoMs: (number | null)[], variants = 0): Promise<Fixture> {
  const [campaign] = await conn.db
    .insert(campaigns)
    .values({ name: `tracking ${name} ${tag}`, templateId, fromName: "T", fromEmail: "t@track.example.com" })
    .returning({ id: campaigns.id });
  if (!campaign) throw new Error("no campaign");
  const variantIds: string[] = [];
  for (let i = 0; i < variants; i++) {
    const [v] = await conn.db
      .insert(campaignVariants)
      .values({ campaignId: campaign.id, name: `v${i}`, position: i })
      .returning({ id: campaignVariants.id });
    if (v) variantIds.push(v.id);
  }
  const out: Fixture["sends"] = [];
  for (const [i, ago] of sentAgoMs.entries()) {
    const email = `${name}-${i}-${tag}@track.example.com`;
    const [sub] = await conn.db.insert(subscribers).values({ email }).returning({ id: subscribers.id });
    if (!sub) throw new Error("no subscriber");
    const variantId = variantIds.length ? (variantIds[i % variantIds.length] ?? null) : null;
    const [send] = await conn.db
      .insert(sends)
      .values({
        campaignId: campaign.id,
        variantId,
        subscriberId: sub.id,
        email,
        status: ago === null ? "queued" : "sent",
        sentAt: ago === null ? null : new Date(Date.now() - ago),
      })
      .returning({ id: sends.id });
    if (!send) throw new Error("no send");
    out.push({ id: send.id, subscriberId: sub.id, variantId });
  }
  return { campaignId: campaign.id, variantIds, sends: out };
}

const idsOf = (f: Fixture, i: number) => {
  const s = f.sends[i];
  if (!s) throw new Error(`no send ${i}`);
  return { sendId: s.id, campaignId: f.campaignId, subscriberId: s.subscriberId, variantId: s.variantId };
};

async function hit(
  path: string,
  opts: { method?: string; ua?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`${stack().baseUrl}${path}`, {
    method: opts.method ?? "GET",
    headers: { "user-agent": opts.ua ?? CHROME, ...opts.headers },
    redirect: "manual",
  });
}

const eventsOfSends = (ids: number[]) =>
  conn.db.select().from(events).where(inArray(events.sendId, ids)).orderBy(events.id);

/** Polls until the sends have `count` events: the local queue delivers in batches every 2 s. */
async function waitForEvents(ids: number[], count: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await eventsOfSends(ids);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} events for sends ${ids}, have ${rows.length}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const rollupsOf = (campaignId: string) =>
  conn.db
    .select()
    .from(campaignRollupsHourly)
    .where(eq(campaignRollupsHourly.campaignId, campaignId))
    .orderBy(campaignRollupsHourly.hour, campaignRollupsHourly.variantKey);

const linksOf = (campaignId: string) =>
  conn.db.select().from(linkRollups).where(eq(linkRollups.campaignId, campaignId)).orderBy(linkRollups.url);

/** Campaign totals over all hours and variants. */
async function totals(campaignId: string) {
  const rows = await rollupsOf(campaignId);
  const sum = (k: "opens" | "uniqueOpens" | "machineOpens" | "clicks" | "uniqueClicks" | "bounces") =>
    rows.reduce((n, r) => n + r[k], 0);
  return {
    opens: sum("opens"),
    uniqueOpens: sum("uniqueOpens"),
    machineOpens: sum("machineOpens"),
    clicks: sum("clicks"),
    uniqueClicks: sum("uniqueClicks"),
    bounces: sum("bounces"),
  };
}

const sendRow = async (id: number) => (await conn.db.select().from(sends).where(eq(sends.id, id)))[0];

/** Stored events as the records they were made from (same dedupe keys): a redelivery. */
const asRecords = (rows: (typeof events.$inferSelect)[]): EventRecord[] =>
  rows.map((e) => ({
    kind: e.kind,
    dedupeKey: e.dedupeKey,
    occurredAt: e.occurredAt,
    sendId: e.sendId,
    campaignId: e.campaignId,
    variantId: e.variantId,
    subscriberId: e.subscriberId,
    url: e.url,
    machine: e.machine,
    client: e.client,
    userAgent: e.userAgent,
    ip: e.ip,
    data: e.data,
  }));

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  const [t] = await conn.db
    .insert(templates)
    .values({ name: `tracking ${tag}` })
    .returning({ id: templates.id });
  if (!t) throw new Error("no template");
  templateId = t.id;
});

afterAll(async () => {
  await conn?.close();
});

describe("tracking endpoints: responses", () => {
  it("serves the 43-byte transparent GIF, never cached, for good and bad tokens alike", async () => {
    const f = await fixture("pixel", [HOUR]);
    const good = await signOpen(secret(), idsOf(f, 0));
    for (const token of [good, `${good.slice(0, -2)}AA`, "not-a-token"]) {
      const res = await hit(`/o/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/gif");
      expect(res.headers.get("cache-control")).toBe("no-store, no-cache, must-revalidate, max-age=0");
      expect(res.headers.get("pragma")).toBe("no-cache");
      expect(res.headers.get("expires")).toBe("0");
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.length).toBe(43);
      expect([...body]).toEqual([...PIXEL_GIF]);
      expect(Buffer.from(body.subarray(0, 6)).toString()).toBe("GIF89a");
    }
  });

  it("redirects a verified click (GET and HEAD) with 302 to the URL in the token", async () => {
    const f = await fixture("redirect", [HOUR]);
    const url = "https://shop.example.com/spring?utm_source=edgepost&x=1#buy";
    const token = await signClick(secret(), { ...idsOf(f, 0), linkIndex: 0, url });
    for (const method of ["GET", "HEAD"]) {
      const res = await hit(`/c/${token}`, { method });
      expect(res.status, method).toBe(302);
      expect(res.headers.get("location")).toBe(url);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    // A URL with non-ASCII characters is sent in its ASCII form: the same address.
    const unicode = "https://例え.jp/パス?q=ü";
    const res = await hit(`/c/${await signClick(secret(), { ...idsOf(f, 0), linkIndex: 1, url: unicode })}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(new URL(unicode).href);
  });

  it("answers 404, with no Location, to every tampered, truncated or foreign token", async () => {
    const f = await fixture("tampered", [HOUR]);
    const ids = idsOf(f, 0);
    const url = "https://shop.example.com/a";
    const good = await signClick(secret(), { ...ids, linkIndex: 0, url });
    const other = await signClick(secret(), {
      ...ids,
      campaignId: crypto.randomUUID(),
      linkIndex: 0,
      url: "https://evil.example/",
    });
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const bad: Record<string, string> = {
      "a changed character in the payload": flip(good, 5),
      "a changed character in the MAC": flip(good, good.length - 3),
      "a truncated token": good.slice(0, -4),
      "a token cut short of its MAC": good.slice(0, 30),
      "an open token": await signOpen(secret(), ids),
      "a token signed with another key": await signClick("another secret of at least thirty-two chars!", {
        ...ids,
        linkIndex: 0,
        url,
      }),
      "another campaign's payload with this MAC": other.slice(0, -22) + good.slice(-22),
      junk: "hello-world",
      "overlong input": "A".repeat(7000),
      "an extra path segment": `${good}/extra`,
    };
    for (const [name, token] of Object.entries(bad)) {
      for (const method of ["GET", "HEAD"]) {
        const res = await hit(`/c/${token}`, { method });
        expect(res.status, `${name} (${method})`).toBe(404);
        expect(res.headers.get("location"), name).toBeNull();
        expect(res.headers.get("content-type"), name).toMatch(/^text\/html/);
      }
    }
    expect((await hit("/c/")).status).toBe(404);
    const page = await hit(`/c/${flip(good, 5)}`);
    expect(await page.text()).toMatch(/not valid/);
  });
});

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
    await ingestEvents(conn.db, records.slice(0, 4));
    await ingestEvents(conn.db, records.slice(4));
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
    const again = await ingestEvents(conn.db, asRecords(rows));
    expect(again).toMatchObject({ received: 2, inserted: [], firstOpens: 0, firstClicks: 0 });
    expect(await eventsOfSends([ids.sendId])).toHaveLength(2);
    expect(await rollupsOf(f.campaignId)).toEqual(before.rollups);
    expect(await linksOf(f.campaignId)).toEqual(before.links);
    expect(await sendRow(ids.sendId)).toEqual(before.send);
  });
});

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
    const first = await ingestEvents(conn.db, records);
    expect(first).toMatchObject({ received: 5, firstOpens: 1, firstClicks: 1 });
    expect(first.inserted).toHaveLength(4);
    const expected = { opens: 2, uniqueOpens: 1, clicks: 1, uniqueClicks: 1, bounces: 1, machineOpens: 0 };
    expect(await totals(f.campaignId)).toEqual(expected);
    const second = await ingestEvents(conn.db, records);
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
    await ingestEvents(conn.db, [
      ev(a, "open", at(h1, 5)),
      ev(a, "open", at(h1, 50)),
      ev(a, "open", at(h1, 1), { machine: true, client: "apple-mpp" }),
      ev(b, "open", at(h1, 10)),
      ev(a, "click", at(h1, 6), { url: u1 }),
      ev(a, "click", at(h1, 7), { url: u1 }),
    ]);
    await ingestEvents(conn.db, [
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
          ingestEvents(conn.db, batch(`a${round}`)),
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
    const result = await ingestEvents(conn.db, [
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
    await conn.db
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
      await ingestEvents(conn.db, recordsFromEventsMessage(click(ms)).records);
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

describe("event retention", () => {
  it("purges only raw events older than the retention, in bounded batches", async () => {
    const day = 86_400_000;
    const mk = (key: string, agoDays: number) => ({
      kind: "open" as const,
      dedupeKey: `ret-${tag}-${key}`,
      occurredAt: new Date(Date.now() - agoDays * day),
    });
    await conn.db
      .insert(events)
      .values([mk("old1", 500), mk("old2", 450), mk("old3", 401), mk("mid", 100), mk("new", 0)]);
    const mine = async () =>
      (
        await conn.db
          .select({ k: events.dedupeKey })
          .from(events)
          .where(sql`${events.dedupeKey} like ${`ret-${tag}-%`}`)
      )
        .map((r) => r.k.replace(`ret-${tag}-`, ""))
        .sort();
    expect(await purgeOldEvents(conn.db, 400, { batchSize: 2, maxBatches: 1 })).toBe(2);
    expect(await mine()).toHaveLength(3);
    await purgeOldEvents(conn.db, 400);
    expect(await mine()).toEqual(["mid", "new"]);
    // The `retention` setting is the default; tried in a transaction that is rolled back, so the
    // shared settings table is left as it was.
    await conn.db
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
