import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zonedToInstant } from "../../dashboard/src/pages/campaigns/zoned-time";
import { campaigns } from "../../schema/campaigns";
import { subscribers } from "../../schema/subscribers";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { TEST_ZONE_HEADER } from "../../workers/lib/edge-zone";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";
import { CHROME } from "../support/tracking";

/**
 * Local-time sending end to end in workerd: the zone a subscriber is seen in (signup, confirm,
 * open, click), injected with the test-only header because wrangler dev gives every request one
 * placeholder `request.cf` (America/Chicago unless it fetched the developer's own); and a campaign
 * across three zones released in order by the cron as its scheduled time is moved forward
 * (`/cdn-cgi/local/scheduled?time=<ms>`), each recipient once.
 */

const HTML = `<p>Hello {{ subscriber.name }}</p><p><a href="https://example.com/read">Read</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
const ZONES = ["Pacific/Auckland", "Europe/Berlin", "America/New_York"] as const;

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;
let templateId: string;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({ vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "2000" } });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
  const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
    name: "Local",
    subject: "Hi {{ subscriber.name }}",
    html: HTML,
  });
  templateId = t.body.id;
}, 180_000);

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

/** Fires the cron as if it were `at` (wrangler's local scheduled endpoint takes milliseconds). */
const cronAt = (at: Date) =>
  fetch(`${stk.baseUrl}/cdn-cgi/local/scheduled?time=${at.getTime()}`).then((r) => r.text());

const seenZone = async (email: string) =>
  (
    await conn.db
      .select({ zone: subscribers.seenTimezone })
      .from(subscribers)
      .where(eq(sql`lower(${subscribers.email})`, email.toLowerCase()))
  )[0]?.zone ?? null;

/** The links of the last message the sink took for `to`, quoted-printable undone. */
function linksTo(to: string): string[] {
  const raw =
    sink.messages
      .filter((m) => m.to === to)
      .at(-1)
      ?.raw.toString("utf8") ?? "";
  const plain = raw.replace(/=\r?\n/g, "").replace(/=3D/gi, "=");
  return [...plain.matchAll(/https?:\/\/[^\s"'<>()]+/g)].map((m) => m[0]);
}

async function newCampaign(listId: string) {
  const res = await api.call<{ id: string }>("POST", "/api/v1/campaigns", {
    name: `local ${Math.random().toString(36).slice(2, 6)}`,
    templateId,
    listIds: [listId],
    fromName: "Local",
    fromEmail: "news@sink.example.com",
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

describe("the zone a subscriber is seen in", () => {
  it("is recorded from a signup, a confirmation, an open and a click, the latest winning", async () => {
    const list = await api.call<{ id: string }>("POST", "/api/v1/lists", {
      name: "Seen zones",
      optIn: "double",
      visibility: "public",
    });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
    const email = "zoe@sink.example.com";
    const subscribe = (zone: string) =>
      fetch(`${stk.baseUrl}/subscribe`, {
        method: "POST",
        headers: { "content-type": "application/json", [TEST_ZONE_HEADER]: zone },
        body: JSON.stringify({ email, listIds: [list.body.id] }),
      });
    expect((await subscribe("Asia/Tokyo")).status).toBe(200);
    expect(await seenZone(email)).toBe("Asia/Tokyo");
    // The form is unauthenticated: a second post does not move a zone already seen.
    expect((await subscribe("Europe/Paris")).status).toBe(200);
    expect(await seenZone(email)).toBe("Asia/Tokyo");

    const confirm = await until("the confirmation mail", async () =>
      linksTo(email).find((l) => l.includes("/confirm/")),
    );
    expect((await fetch(confirm, { headers: { [TEST_ZONE_HEADER]: "Europe/Lisbon" } })).status).toBe(200);
    expect(await seenZone(email)).toBe("Europe/Lisbon");

    const id = await newCampaign(list.body.id);
    expect((await api.call("POST", `/api/v1/campaigns/${id}/send`)).status).toBe(200);
    const pixel = await until("the campaign mail", async () => linksTo(email).find((l) => l.includes("/o/")));
    const headers = { "user-agent": CHROME, [TEST_ZONE_HEADER]: "America/Denver" };
    expect((await fetch(pixel, { headers })).status).toBe(200);
    await until("the open's zone", async () => (await seenZone(email)) === "America/Denver");
    const click = linksTo(email).find((l) => l.includes("/c/")) ?? "";
    const clicked = await fetch(click, {
      headers: { ...headers, [TEST_ZONE_HEADER]: "Africa/Nairobi" },
      redirect: "manual",
    });
    expect(clicked.status).toBe(302);
    await until("the click's zone", async () => (await seenZone(email)) === "Africa/Nairobi");
    // Nothing but the zone: the subscriber row holds no address of the client.
    const [row] = await conn.db.select().from(subscribers).where(eq(subscribers.email, email));
    expect(JSON.stringify(row)).not.toMatch(/\b127\.0\.0\.1\b|::1/);
  });
});

describe("a local-time campaign across three zones", () => {
  it("releases the zones in order as the cron's time moves forward, each recipient once; a pause holds the later ones", async () => {
    const { listId, emails } = await seedAudience(conn.db, "lt", 6);
    const zoneOf = (i: number) => ZONES[Math.floor(i / 2)] as string;
    for (const [i, email] of emails.entries()) {
      await conn.db
        .update(subscribers)
        .set({ seenTimezone: zoneOf(i) })
        .where(eq(subscribers.email, email));
    }
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const at = (zone: string) => new Date(zonedToInstant(day, "09:00", zone)?.epochMs ?? Number.NaN);
    const plus = (d: Date, s: number) => new Date(d.getTime() + s * 1000);
    const id = await newCampaign(listId);
    const scheduled = await api.call("POST", `/api/v1/campaigns/${id}/schedule`, {
      sendAt: zonedToInstant(day, "09:00", "Europe/Berlin")?.iso,
      timezone: "Europe/Berlin",
      localTime: true,
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const status = async () =>
      (await conn.db.select().from(campaigns).where(eq(campaigns.id, id)))[0] ?? null;

    // The moved time reaches the Worker: not yet at 08:59 in UTC+14, started at 09:00 there.
    await cronAt(plus(at("Etc/GMT-14"), -60));
    expect((await status())?.status).toBe("scheduled");
    await cronAt(plus(at("Etc/GMT-14"), 1));
    await until("the freeze", async () => (await status())?.frozenAt);
    const got = (zone: string) => emails.filter((_, i) => zoneOf(i) === zone).map((e) => sink.count(e));

    await cronAt(plus(at("Pacific/Auckland"), 1));
    await until("Auckland's mail", async () => got("Pacific/Auckland").every((n) => n === 1));
    expect([...got("Europe/Berlin"), ...got("America/New_York")]).toEqual([0, 0, 0, 0]);

    await cronAt(plus(at("Europe/Berlin"), 1));
    await until("Berlin's mail", async () => got("Europe/Berlin").every((n) => n === 1));
    expect((await api.call("POST", `/api/v1/campaigns/${id}/pause`)).status).toBe(200);
    await cronAt(plus(at("America/New_York"), 1));
    await new Promise((r) => setTimeout(r, 3000));
    expect(got("America/New_York")).toEqual([0, 0]);
    const paused = await api.call<{ zones: { timezone: string; status: string; sent: number }[] }>(
      "GET",
      `/api/v1/campaigns/${id}/stats`,
    );
    expect(paused.body.zones.map((z) => [z.timezone, z.status, z.sent])).toEqual([
      ["Pacific/Auckland", "done", 2],
      ["Europe/Berlin", "done", 2],
      ["America/New_York", "waiting", 0],
    ]);

    expect((await api.call("POST", `/api/v1/campaigns/${id}/resume`)).status).toBe(200);
    await cronAt(plus(at("America/New_York"), 1));
    await until("the campaign to end", async () => (await status())?.status === "sent");
    expect(emails.map((e) => sink.count(e))).toEqual([1, 1, 1, 1, 1, 1]);
    const order = sink.messages
      .filter((m) => emails.includes(m.to))
      .sort((a, b) => a.at - b.at)
      .map((m) => zoneOf(emails.indexOf(m.to)));
    expect(order).toEqual([ZONES[0], ZONES[0], ZONES[1], ZONES[1], ZONES[2], ZONES[2]]);
  });
});
