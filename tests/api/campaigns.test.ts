import { eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sends } from "../../schema/sends";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { mailRaw, mailTo, waitForMail } from "../support/mailbox";

const tag = Math.random().toString(36).slice(2, 7);
const addr = (local: string) => `${local}-${tag}@camp.example.com`;
const HTML = `<html><body><p>Hi {{ subscriber.name }}</p>
<p><a href="https://example.com/read?x=1">Read</a> <a href="mailto:help@example.com">Help</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>`;

let token: string;
let conn: DbConnection;
let listId: string;
let templateId: string;

interface Campaign {
  id: string;
  status: string;
  audienceSize: number | null;
  sentCount: number;
  pausedReason: string | null;
}

async function campaign(name: string, extra: Record<string, unknown> = {}) {
  const res = await api<Campaign>("POST", "/api/v1/campaigns", {
    token,
    body: {
      name: `${name} ${tag}`,
      templateId,
      listIds: [listId],
      fromName: "Edgepost News",
      fromEmail: "news@camp.example.com",
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function waitStatus(id: string, status: string, timeoutMs = 30_000): Promise<Campaign> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api<Campaign>("GET", `/api/v1/campaigns/${id}`, { token });
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline)
      throw new Error(`campaign still ${res.body.status}, wanted ${status}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
  listId = (
    await api<{ id: string }>("POST", "/api/v1/lists", {
      token,
      body: { name: `Campaigns ${tag}`, optIn: "single", visibility: "private" },
    })
  ).body.id;
  for (const name of ["ann", "bob", "cy", "gone", "blocked"]) {
    const res = await api("POST", "/api/v1/subscribers", {
      token,
      body: { email: addr(name), name: name.toUpperCase(), listIds: [listId] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const gone = await api<{ data: { id: string }[] }>(
    "GET",
    `/api/v1/subscribers?q=${encodeURIComponent(addr("gone"))}`,
    { token },
  );
  await api("PATCH", `/api/v1/subscribers/${gone.body.data[0]?.id}`, {
    token,
    body: { status: "unsubscribed" },
  });
  await api("POST", "/api/v1/suppressions", { token, body: { email: addr("blocked"), reason: "manual" } });
  templateId = (
    await api<{ id: string }>("POST", "/api/v1/templates", {
      token,
      body: { name: `Camp ${tag}`, subject: "News for {{ subscriber.name }}", html: HTML },
    })
  ).body.id;
});
afterAll(async () => conn.close());

describe("campaigns: lifecycle rules", () => {
  it("counts the audience before sending: deduplicated, minus unsubscribed and suppressed", async () => {
    const c = await campaign("count");
    const res = await api<{ count: number }>("GET", `/api/v1/campaigns/${c.id}/audience`, { token });
    expect(res.body.count).toBe(3);
  });

  it("answers 409 with the reason for an illegal transition", async () => {
    const c = await campaign("illegal");
    for (const action of ["pause", "resume", "cancel", "unschedule"]) {
      const res = await api<{ error: { message: string } }>("POST", `/api/v1/campaigns/${c.id}/${action}`, {
        token,
        body: {},
      });
      expect(res.status, action).toBe(409);
      expect(res.body.error.message).toMatch(/draft/);
    }
    // Retry takes an optional body: sent without one, it is the same 409, not a validation error.
    const bare = await fetch(`${stack().baseUrl}/api/v1/campaigns/${c.id}/retry`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bare.status).toBe(409);
  });

  it("refuses to schedule in the past, schedules and unschedules", async () => {
    const c = await campaign("schedule");
    const past = await api("POST", `/api/v1/campaigns/${c.id}/schedule`, {
      token,
      body: { sendAt: "2020-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(422);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await api<Campaign & { timezone: string }>("POST", `/api/v1/campaigns/${c.id}/schedule`, {
      token,
      body: { sendAt: future, timezone: "Europe/Berlin" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "scheduled", timezone: "Europe/Berlin" });
    expect((await api("PATCH", `/api/v1/campaigns/${c.id}`, { token, body: { fromName: "x" } })).status).toBe(
      409,
    );
    const back = await api<Campaign>("POST", `/api/v1/campaigns/${c.id}/unschedule`, { token, body: {} });
    expect(back.body.status).toBe("draft");
    expect(
      (await api("PATCH", `/api/v1/campaigns/${c.id}`, { token, body: { fromName: "Changed" } })).status,
    ).toBe(200);
  });

  it("refuses to send a campaign without an audience (422)", async () => {
    const c = await campaign("empty", { listIds: [] });
    expect((await api("POST", `/api/v1/campaigns/${c.id}/send`, { token, body: {} })).status).toBe(422);
  });

  it("lets analysts read campaigns but not send them", async () => {
    const c = await campaign("roles");
    const analyst = await userWithRole("analyst");
    expect((await api("GET", `/api/v1/campaigns/${c.id}`, { token: analyst.accessToken })).status).toBe(200);
    expect(
      (await api("POST", `/api/v1/campaigns/${c.id}/send`, { token: analyst.accessToken, body: {} })).status,
    ).toBe(403);
  });
});

describe("campaigns: sending", () => {
  let id: string;

  it("sends now: one message per active, unsuppressed member, with one-click unsubscribe and tracking", async () => {
    const c = await campaign("send");
    id = c.id;
    const sent = await api<Campaign>("POST", `/api/v1/campaigns/${id}/send`, { token, body: {} });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(["sending", "sent"]).toContain(sent.body.status);
    const done = await waitStatus(id, "sent");
    expect(done).toMatchObject({ audienceSize: 3, sentCount: 3 });
    for (const who of ["ann", "bob", "cy"]) expect(await waitForMail(addr(who))).toHaveLength(1);
    expect(await mailTo(addr("gone"))).toHaveLength(0);
    expect(await mailTo(addr("blocked"))).toHaveLength(0);

    const [mail] = await mailTo(addr("ann"));
    const raw = await mailRaw(mail?.id ?? "");
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe("News for ANN");
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value ?? "";
    expect(header("list-unsubscribe")).toMatch(
      /^<https?:\/\/[^>]+\/u\/[^>]+>, <mailto:bounces\+[0-9a-z]+-[a-z2-7]{16}@camp\.example\.com\?subject=unsubscribe>$/,
    );
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(header("list-id")).toContain(".camp.example.com>");
    expect(header("feedback-id")).toContain(":campaign:");
    expect(parsed.html).toMatch(/<img src="https?:\/\/[^"]+\/o\/[^"]+"/);
    expect(parsed.html).toMatch(/href="https?:\/\/[^"]+\/c\/[^"]+">Read/);
    expect(parsed.html).toContain('href="mailto:help@example.com"');
    expect(parsed.html).toMatch(/href="https?:\/\/[^"]+\/u\/[^"]+">Unsubscribe/);
  });

  it("keeps a per-recipient log with the relay's reply", async () => {
    const log = await api<{
      data: { email: string; status: string; attempts: number; lastCode: number; messageId: string }[];
    }>("GET", `/api/v1/campaigns/${id}/sends?status=sent`, { token });
    expect(log.body.data).toHaveLength(3);
    for (const s of log.body.data) expect(s).toMatchObject({ status: "sent", attempts: 1, lastCode: 250 });
    expect(log.body.data[0]?.messageId).toMatch(/@camp\.example\.com$/);
    const stats = await api<{ sent: number; audience: number; queued: number }>(
      "GET",
      `/api/v1/campaigns/${id}/stats`,
      { token },
    );
    expect(stats.body).toMatchObject({ audience: 3, sent: 3, queued: 0 });
  });

  it("refuses edits and deletion of a running or sent campaign's content", async () => {
    expect((await api("PATCH", `/api/v1/campaigns/${id}`, { token, body: { templateId } })).status).toBe(409);
    expect(
      (await api("PATCH", `/api/v1/campaigns/${id}`, { token, body: { name: `renamed ${tag}` } })).status,
    ).toBe(200);
  });

  it("starts a scheduled campaign when the cron finds it due", async () => {
    const c = await campaign("scheduled");
    const sendAt = new Date(Date.now() + 1500).toISOString();
    expect(
      (await api("POST", `/api/v1/campaigns/${c.id}/schedule`, { token, body: { sendAt } })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    await fetch(`${stack().baseUrl}/cdn-cgi/local/scheduled`);
    const done = await waitStatus(c.id, "sent");
    expect(done.sentCount).toBe(3);
    const rows = await conn.db.select().from(sends).where(eq(sends.campaignId, c.id));
    expect(rows.map((r) => r.status).sort()).toEqual(["sent", "sent", "sent"]);
  });

  it("sends a test to given addresses without touching the ledger", async () => {
    const c = await campaign("test send");
    const res = await api<{ results: { email: string; accepted: boolean }[] }>(
      "POST",
      `/api/v1/campaigns/${c.id}/test`,
      {
        token,
        body: { emails: [addr("tester")] },
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ email: addr("tester"), accepted: true })]);
    const [mail] = await waitForMail(addr("tester"));
    expect(mail?.subject).toBe("[Test] News for Sample Subscriber");
    expect(await conn.db.select().from(sends).where(eq(sends.campaignId, c.id))).toHaveLength(0);
  });

  it("sends a test to a subscriber's own address with placeholder links only", async () => {
    const sub = await api<{ id: string }>("POST", "/api/v1/subscribers", {
      token,
      body: { email: addr("testee"), name: "Testee" },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const c = await campaign("test links");
    const res = await api("POST", `/api/v1/campaigns/${c.id}/test`, {
      token,
      body: { emails: [addr("testee")] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [mail] = await waitForMail(addr("testee"));
    const parsed = await PostalMime.parse(await mailRaw(mail?.id ?? ""));
    expect(parsed.subject).toBe("[Test] News for Testee");
    const header = parsed.headers.find((h) => h.key === "list-unsubscribe")?.value ?? "";
    const links = [...`${header} ${parsed.html}`.matchAll(/https?:\/\/[^\s"'<>()]+\/u\/[^\s"'<>()]+/g)].map(
      (m) => m[0],
    );
    expect(links.length).toBeGreaterThanOrEqual(2);
    expect(
      links.every((l) => l.endsWith("/u/preview")),
      links.join(" "),
    ).toBe(true);
    for (const link of links) {
      const oneClick = await fetch(link, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(oneClick.status).toBe(200);
    }
    const after = await api<{ status: string }>("GET", `/api/v1/subscribers/${sub.body.id}`, { token });
    expect(after.body.status).toBe("active");
  });

  it("sends a test of one A/B variant with that variant's subject", async () => {
    const c = await api<{ id: string; variants: { id: string; name: string }[] }>(
      "POST",
      "/api/v1/campaigns",
      {
        token,
        body: {
          name: `ab test send ${tag}`,
          templateId,
          listIds: [listId],
          fromName: "Edgepost News",
          fromEmail: "news@camp.example.com",
          abTest: {
            variants: [
              { name: "A", subject: "Subject A" },
              { name: "B", subject: "B for {{ subscriber.name }}" },
            ],
            testPercent: 50,
            metric: "clicks",
            waitMinutes: 60,
          },
        },
      },
    );
    const b = c.body.variants.find((v) => v.name === "B");
    const res = await api("POST", `/api/v1/campaigns/${c.body.id}/test`, {
      token,
      body: { emails: [addr("abtester")], variantId: b?.id },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [mail] = await waitForMail(addr("abtester"));
    expect(mail?.subject).toBe("[Test] B for Sample Subscriber");
  });

  it("cancels a scheduled campaign", async () => {
    const c = await campaign("cancel");
    await api("POST", `/api/v1/campaigns/${c.id}/schedule`, {
      token,
      body: { sendAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const res = await api<Campaign>("POST", `/api/v1/campaigns/${c.id}/cancel`, { token, body: {} });
    expect(res.body.status).toBe("cancelled");
    expect((await api("POST", `/api/v1/campaigns/${c.id}/send`, { token, body: {} })).status).toBe(409);
  });
});
