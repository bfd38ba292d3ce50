import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../schema/campaigns";
import { sends } from "../../schema/sends";
import { bounceToken } from "../../workers/lib/bounce-token";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { mailRaw, waitForMail } from "../support/mailbox";

/** The campaign report and overview, from a real send, real tracking hits and a real bounce. */

const tag = Math.random().toString(36).slice(2, 7);
const HTML = `<p>Hi {{ subscriber.name }}</p><p><a href="https://example.com/offer">Offer</a> <a href="https://example.com/blog">Blog</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;
const people = [`a-${tag}@gmail.com`, `b-${tag}@gmail.com`, `c-${tag}@outlook.com`, `d-${tag}@example.org`];
const BROWSER =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

let token: string;
let conn: DbConnection;
let campaignId: string;

async function until<T>(
  what: string,
  check: () => Promise<T | null | false | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The tracked links of a received message, after quoted-printable soft breaks are joined. */
async function trackedLinks(email: string) {
  const [mail] = await waitForMail(email);
  const raw = (await mailRaw(mail?.id ?? "")).replace(/=\r\n/g, "").replace(/=3D/g, "=");
  return {
    pixel: /https?:\/\/[^"\s]+\/o\/[A-Za-z0-9_-]+/.exec(raw)?.[0] ?? "",
    clicks: [...raw.matchAll(/https?:\/\/[^"\s]+\/c\/[A-Za-z0-9_-]+/g)].map((m) => m[0]),
    unsubscribe: /List-Unsubscribe: <([^>]+)>/.exec(raw)?.[1] ?? "",
  };
}

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
  await api("PATCH", "/api/v1/settings", { token, body: { sending: { scannerClickSeconds: 0 } } });
  const list = await api<{ id: string }>("POST", "/api/v1/lists", {
    token,
    body: { name: `analytics ${tag}`, optIn: "single", visibility: "private" },
  });
  for (const email of people)
    await api("POST", "/api/v1/subscribers", {
      token,
      body: { email, name: "Reader", listIds: [list.body.id] },
    });
  const t = await api<{ id: string }>("POST", "/api/v1/templates", {
    token,
    body: { name: `analytics ${tag}`, subject: "Report test", html: HTML },
  });
  const c = await api<{ id: string }>("POST", "/api/v1/campaigns", {
    token,
    body: {
      name: `analytics ${tag}`,
      templateId: t.body.id,
      listIds: [list.body.id],
      fromName: "A",
      fromEmail: "news@analytics.example.com",
    },
  });
  campaignId = c.body.id;
  await api("POST", `/api/v1/campaigns/${campaignId}/send`, { token, body: {} });
  await until(
    "sent",
    async () =>
      (await conn.db.select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.status === "sent",
  );
  // a and c open (a twice); a clicks the offer twice and the blog once; b's "open" is Gmail's proxy.
  // a's second open and second click come within five minutes: one reading, counted once (#11).
  const a = await trackedLinks(people[0] ?? "");
  const b = await trackedLinks(people[1] ?? "");
  const c2 = await trackedLinks(people[2] ?? "");
  const hit = (url: string, ua = BROWSER) =>
    fetch(url, { redirect: "manual", headers: { "user-agent": ua } });
  await hit(a.pixel);
  await hit(a.pixel);
  await hit(c2.pixel);
  await hit(
    b.pixel,
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
  );
  await hit(a.clicks[0] ?? "");
  await hit(a.clicks[0] ?? "");
  await hit(a.clicks[1] ?? "");
  // c unsubscribes with the one-click POST (RFC 8058), twice: it counts once.
  for (let i = 0; i < 2; i++) {
    await fetch(c2.unsubscribe, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
  }
  // d bounces: a DSN to the send's bounce address.
  const [dSend] = await conn.db
    .select()
    .from(sends)
    .where(eq(sends.email, people[3] ?? ""));
  const bounce = `bounces+${await bounceToken(stack().secrets.TRACKING_SECRET ?? "", dSend?.id ?? 0)}@analytics.example.com`;
  const dsn = [
    "From: MAILER-DAEMON@mx.example.org",
    `To: ${bounce}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <dsn-${tag}@mx.example.org>`,
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    "",
    "--B",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.org",
    "",
    `Final-Recipient: rfc822; ${people[3]}`,
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    "--B--",
    "",
  ].join("\r\n");
  await fetch(
    `${stack().baseUrl}/cdn-cgi/handler/email?from=MAILER-DAEMON@mx.example.org&to=${encodeURIComponent(bounce)}`,
    {
      method: "POST",
      body: dsn,
    },
  );
  await until("the events to be counted", async () => {
    const s = await api<{
      uniqueClicks: number;
      uniqueOpens: number;
      machineOpens: number;
      bounces: number;
      unsubscribes: number;
    }>("GET", `/api/v1/campaigns/${campaignId}/stats`, { token });
    return (
      s.body.uniqueClicks === 1 &&
      s.body.uniqueOpens === 2 &&
      s.body.machineOpens === 1 &&
      s.body.bounces === 1
    );
  });
}, 90_000);

afterAll(async () => {
  await api("PATCH", "/api/v1/settings", { token, body: { sending: { scannerClickSeconds: 10 } } });
  await conn.close();
});

describe("campaign report", () => {
  it("counts human opens and clicks apart from machine opens", async () => {
    const s = await api<Record<string, number>>("GET", `/api/v1/campaigns/${campaignId}/stats`, { token });
    // d's message was accepted, then bounced by a DSN: sent, but not delivered.
    expect(s.body).toMatchObject({
      sent: 4,
      delivered: 3,
      bounceRate: 0.25,
      opens: 2,
      uniqueOpens: 2,
      machineOpens: 1,
      clicks: 2,
      uniqueClicks: 1,
      bounces: 1,
    });
  });

  it("has an hourly timeline", async () => {
    const t = await api<{ data: { hour: string; sent: number; uniqueOpens: number; clicks: number }[] }>(
      "GET",
      `/api/v1/analytics/campaigns/${campaignId}/timeline`,
      { token },
    );
    expect(t.status).toBe(200);
    const sum = (k: "sent" | "uniqueOpens" | "clicks") => t.body.data.reduce((n, h) => n + h[k], 0);
    expect({ sent: sum("sent"), uniqueOpens: sum("uniqueOpens"), clicks: sum("clicks") }).toEqual({
      sent: 4,
      uniqueOpens: 2,
      clicks: 2,
    });
    expect(t.body.data[0]?.hour).toMatch(/T\d\d:00:00\.000Z$/);
  });

  it("counts clicks per link", async () => {
    const l = await api<{ data: { url: string; clicks: number; uniqueClicks: number }[] }>(
      "GET",
      `/api/v1/analytics/campaigns/${campaignId}/links`,
      {
        token,
      },
    );
    // One click each now (a's second click on the offer was the same reading): the order is a tie.
    const byUrl = l.body.data
      .map(({ url, clicks, uniqueClicks }) => ({ url, clicks, uniqueClicks }))
      .sort((x, y) => x.url.localeCompare(y.url));
    expect(byUrl).toEqual([
      { url: "https://example.com/blog", clicks: 1, uniqueClicks: 1 },
      { url: "https://example.com/offer", clicks: 1, uniqueClicks: 1 },
    ]);
  });

  it("breaks down by recipient domain", async () => {
    const d = await api<{
      data: { domain: string; sent: number; uniqueOpens: number; uniqueClicks: number; bounces: number }[];
    }>("GET", `/api/v1/analytics/campaigns/${campaignId}/domains`, { token });
    const by = Object.fromEntries(d.body.data.map((r) => [r.domain, r]));
    expect(by["gmail.com"]).toMatchObject({ sent: 2, uniqueOpens: 1, uniqueClicks: 1, bounces: 0 });
    expect(by["outlook.com"]).toMatchObject({ sent: 1, uniqueOpens: 1, unsubscribes: 1 });
    expect(by["example.org"]).toMatchObject({ sent: 1, bounces: 1 });
  });

  it("breaks bounces down by reason", async () => {
    const b = await api<{ data: { reason: string; hard: boolean; bounces: number }[] }>(
      "GET",
      `/api/v1/analytics/campaigns/${campaignId}/bounces`,
      {
        token,
      },
    );
    expect(b.body.data).toEqual([{ reason: "userunknown", hard: true, bounces: 1 }]);
  });

  it("sums a time range in the overview, for analysts too", async () => {
    const analyst = await userWithRole("analyst");
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const o = await api<Record<string, unknown>>(
      "GET",
      `/api/v1/analytics/overview?from=${encodeURIComponent(from)}`,
      {
        token: analyst.accessToken,
      },
    );
    expect(o.status).toBe(200);
    expect(o.body.sent as number).toBeGreaterThanOrEqual(3);
    expect(o.body.uniqueClicks as number).toBeGreaterThanOrEqual(1);
    expect((o.body.series as unknown[]).length).toBeGreaterThanOrEqual(1);
    const bad = await api(
      "GET",
      `/api/v1/analytics/overview?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(from)}`,
      {
        token,
      },
    );
    expect(bad.status).toBe(400);
  });
});

describe("timeline buckets and the analytics order", () => {
  type Timeline = {
    bucket: string;
    data: { hour: string; sent: number; uniqueOpens: number; clicks: number }[];
  };
  const timeline = (query: string) =>
    api<Timeline>("GET", `/api/v1/analytics/campaigns/${campaignId}/timeline${query}`, { token });
  const sum = (t: Timeline, k: "sent" | "uniqueOpens" | "clicks") => t.data.reduce((n, p) => n + p[k], 0);

  it("keeps hours by default and reads a recent send per minute on bucket=auto", async () => {
    const hourly = await timeline("");
    expect(hourly.body.bucket).toBe("hour");
    const auto = await timeline("?bucket=auto");
    expect(auto.status).toBe(200);
    // The whole send and its hits took seconds: minutes, whose sums are the hours'.
    expect(auto.body.bucket).toBe("minute");
    expect(auto.body.data.every((p) => /T\d\d:\d\d:00\.000Z$/.test(p.hour))).toBe(true);
    for (const k of ["sent", "uniqueOpens", "clicks"] as const)
      expect(sum(auto.body, k)).toBe(sum(hourly.body, k));
    const day = await timeline("?bucket=day");
    expect(day.body.bucket).toBe("day");
    expect(sum(day.body, "sent")).toBe(4);
    expect((await timeline("?bucket=week")).status).toBe(400);
  });

  it("lists campaigns by when they started sending, with cursors of their own", async () => {
    const page = await api<{ data: { id: string }[]; nextCursor: string | null }>(
      "GET",
      "/api/v1/campaigns?status=sent&sort=started&limit=1",
      { token },
    );
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    const bad = await api("GET", "/api/v1/campaigns?sort=started&cursor=eyJpZCI6IngifQ", { token });
    expect(bad.status).toBe(400);
  });
});
