import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../schema/campaigns";
import { sendChunks, sends } from "../../schema/sends";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * The send pipeline end to end against a relay we control: the real queue consumer in workerd,
 * the send ledger in a real database, an smtp-server sink that can refuse, slow down or stall.
 */

const HTML = `<p>Hello {{ subscriber.name }}</p><p><a href="https://example.com/a">A</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`;

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;
let templateId: string;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({
    vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "2000", SEND_LEASE_SECONDS: "5" },
  });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
  await api.call("PATCH", "/api/v1/settings", {
    sending: { retryBaseSeconds: 1, maxAttempts: 5, pauseMinSends: 10 },
  });
  const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
    name: "Pipeline",
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

async function newCampaign(listId: string, extra: Record<string, unknown> = {}) {
  const res = await api.call<{ id: string }>("POST", "/api/v1/campaigns", {
    name: `pipeline ${Math.random().toString(36).slice(2, 6)}`,
    templateId,
    listIds: [listId],
    fromName: "Pipeline",
    fromEmail: "news@sink.example.com",
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const campaignRow = async (id: string) =>
  (await conn.db.select().from(campaigns).where(eq(campaigns.id, id)))[0];
async function waitStatus(id: string, status: string, ms = 60_000) {
  try {
    return await until(
      `campaign ${status}`,
      async () => ((await campaignRow(id))?.status === status ? campaignRow(id) : null),
      ms,
    );
  } catch (err) {
    // Say where it stands: the campaign, its chunks and its ledger by status.
    const chunks = await conn.db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    const ledger = await conn.db
      .select({
        status: sends.status,
        n: sql<number>`count(*)::int`,
        due: sql<string>`min(next_retry_at)::text`,
      })
      .from(sends)
      .where(eq(sends.campaignId, id))
      .groupBy(sends.status);
    throw new Error(
      `${(err as Error).message}: ${JSON.stringify({ campaign: await campaignRow(id), chunks, ledger, now: new Date() })}`,
    );
  }
}

describe("send pipeline", { timeout: 90_000 }, () => {
  it("retries a relay that fails 30% of deliveries with 451, with backoff in the ledger, until all are delivered", {
    timeout: 90_000,
  }, async () => {
    const { listId, emails } = await seedAudience(conn.db, "flaky", 60);
    const flaky = new Set(emails.filter((_, i) => i % 10 < 3));
    // Each flaky recipient is refused twice, then accepted: the relay recovers.
    sink.rule = (who, attempt) =>
      flaky.has(who) && attempt <= 2 ? { code: 451, text: "4.3.0 Try again later" } : null;
    const id = await newCampaign(listId);
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    // While it runs, the refused sends wait in the ledger with their reply and a retry time.
    const waiting = await until("a send waiting for its retry", async () => {
      const rows = await conn.db
        .select()
        .from(sends)
        .where(and(eq(sends.campaignId, id), eq(sends.status, "queued"), sql`${sends.nextRetryAt} > now()`));
      return rows[0] ?? null;
    });
    expect(waiting).toMatchObject({ lastCode: 451, lastEnhanced: "4.3.0" });
    await waitStatus(id, "sent");
    for (const e of emails) expect(sink.count(e), e).toBe(1);
    const rows = await conn.db.select().from(sends).where(eq(sends.campaignId, id));
    for (const r of rows) {
      expect(r.status).toBe("sent");
      expect(r.attempts).toBe(flaky.has(r.email) ? 3 : 1);
    }
    sink.rule = () => null;
  });

  it("records a 550 as a hard bounce and suppresses the address", async () => {
    const { listId, emails } = await seedAudience(conn.db, "hard", 5);
    const bad = emails[2] ?? "";
    sink.rule = (who) => (who === bad ? { code: 550, text: "5.1.1 No such user" } : null);
    const id = await newCampaign(listId);
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await waitStatus(id, "sent");
    const [row] = await conn.db
      .select()
      .from(sends)
      .where(and(eq(sends.campaignId, id), eq(sends.email, bad)));
    expect(row).toMatchObject({ status: "bounced", lastCode: 550, lastEnhanced: "5.1.1", attempts: 1 });
    const suppressed = await api.call<{ data: { email: string; reason: string }[] }>(
      "GET",
      `/api/v1/suppressions?q=${encodeURIComponent(bad)}`,
    );
    expect(suppressed.body.data.some((s) => s.email === bad && s.reason === "bounce")).toBe(true);
    const stats = await api.call<{ bounces: number; sent: number }>("GET", `/api/v1/campaigns/${id}/stats`);
    expect(stats.body).toMatchObject({ sent: 4, bounces: 1 });
    sink.rule = () => null;
  });

  it("ends as failed, with the reason, when no message can be built for anyone", async () => {
    const { listId, emails } = await seedAudience(conn.db, "unbuildable", 6);
    // Fine on the sample subscriber the template check renders with; past the render budget for
    // every real recipient, whose field asks for a hundred million loop turns.
    await conn.db.execute(
      sql`update subscribers set fields = '{"n": 100000000}'::jsonb where email like 'unbuildable-%'`,
    );
    const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
      name: "Unbuildable",
      subject: "Hi",
      html: '<p>{% for i in (1..subscriber.fields.n) %}x{% endfor %}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    const id = await newCampaign(listId, { templateId: t.body.id });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    const failed = await waitStatus(id, "failed");
    expect(failed).toMatchObject({ sentCount: 0, failedCount: emails.length });
    expect(failed?.failureReason).toMatch(
      /No message was accepted: 6 failed\. Most frequent error: could not build the message: .*limit/,
    );
    for (const e of emails) expect(sink.count(e)).toBe(0);
    const view = await api.call<{ status: string; failureReason: string }>("GET", `/api/v1/campaigns/${id}`);
    expect(view.body.status).toBe("failed");
    expect(view.body.failureReason).toBe(failed?.failureReason);
  });

  it("pauses by itself when the bounce rate passes the limit, and says why", async () => {
    const { listId, emails } = await seedAudience(conn.db, "bouncy", 40);
    const bad = new Set(emails.filter((_, i) => i % 4 === 0));
    sink.rule = (who) => (bad.has(who) ? { code: 550, text: "5.1.1 No such user" } : null);
    const id = await newCampaign(listId);
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    const paused = await waitStatus(id, "paused");
    expect(paused?.pausedReason).toMatch(/bounced \(limit 5\.0%\)/);
    sink.rule = () => null;
    // Resume carries on from where it stopped, without sending anyone twice.
    await api.call("PATCH", "/api/v1/settings", { sending: { pauseBounceRate: 1 } });
    await api.call("POST", `/api/v1/campaigns/${id}/resume`, {});
    await waitStatus(id, "sent");
    for (const e of emails) expect(sink.count(e), e).toBeLessThanOrEqual(1);
    const good = emails.filter((e) => !bad.has(e));
    for (const e of good) expect(sink.count(e), e).toBe(1);
    await api.call("PATCH", "/api/v1/settings", { sending: { pauseBounceRate: 0.05 } });
  });

  it("pauses and resumes without resending or losing anyone", async () => {
    const { listId, emails } = await seedAudience(conn.db, "pause", 200);
    const relay = await api.call<{ id: string }>("POST", "/api/v1/relays", {
      name: "slow sink",
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      maxPerSecond: 40,
    });
    const id = await newCampaign(listId, { relayId: relay.body.id });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("some sent", async () => emails.filter((e) => sink.count(e) > 0).length >= 20);
    expect((await api.call("POST", `/api/v1/campaigns/${id}/pause`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const atPause = emails.filter((e) => sink.count(e) > 0).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(emails.filter((e) => sink.count(e) > 0).length).toBe(atPause);
    expect(atPause).toBeLessThan(emails.length);
    expect((await api.call("POST", `/api/v1/campaigns/${id}/resume`, {})).status).toBe(200);
    await waitStatus(id, "sent");
    for (const e of emails) expect(sink.count(e), e).toBe(1);
  });

  it("does not send to an address suppressed while the campaign is sending", async () => {
    const { listId, emails } = await seedAudience(conn.db, "late", 120);
    const relay = await api.call<{ id: string }>("POST", "/api/v1/relays", {
      name: "late sink",
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      maxPerSecond: 30,
    });
    const id = await newCampaign(listId, { relayId: relay.body.id });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("sending started", async () => emails.some((e) => sink.count(e) > 0));
    // The recipient sent last (the ledger goes in send id order).
    const [lastRow] = await conn.db
      .select()
      .from(sends)
      .where(eq(sends.campaignId, id))
      .orderBy(sql`${sends.id} desc`)
      .limit(1);
    const last = lastRow?.email ?? "";
    await api.call("POST", "/api/v1/suppressions", { email: last, reason: "manual" });
    await waitStatus(id, "sent");
    expect(sink.count(last)).toBe(0);
    const [row] = await conn.db
      .select()
      .from(sends)
      .where(and(eq(sends.campaignId, id), eq(sends.email, last)));
    expect(row).toMatchObject({ status: "skipped", lastError: "suppressed" });
  });

  it("sends nothing twice when the same chunk is delivered again", async () => {
    const { listId, emails } = await seedAudience(conn.db, "redeliver", 30);
    const id = await newCampaign(listId);
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await waitStatus(id, "sent");
    const before = sink.messages.length;
    // As if the queue delivered the chunk's message again: reopen the chunk and let the cron re-queue it.
    await conn.db.update(campaigns).set({ status: "sending", finishedAt: null }).where(eq(campaigns.id, id));
    await conn.db
      .update(sendChunks)
      .set({ status: "queued", enqueuedAt: sql`now() - interval '1 hour'` })
      .where(eq(sendChunks.campaignId, id));
    await api.cron();
    await waitStatus(id, "sent");
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages.length).toBe(before);
    for (const e of emails) expect(sink.count(e)).toBe(1);
  });

  it("keeps to the relay's rate within 10% over the measured window", async () => {
    const rate = 20;
    const { listId, emails } = await seedAudience(conn.db, "rate", 300);
    const relay = await api.call<{ id: string }>("POST", "/api/v1/relays", {
      name: "rate sink",
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      maxPerSecond: rate,
    });
    const id = await newCampaign(listId, { relayId: relay.body.id });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await waitStatus(id, "sent", 120_000);
    const times = sink.messages
      .filter((m) => emails.includes(m.to))
      .map((m) => m.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(emails.length);
    // Leave out the first two seconds: the bucket starts full (one second's worth of tokens).
    const start = (times[0] ?? 0) + 2000;
    const window = times.filter((t) => t >= start);
    const observed = (window.length - 1) / (((window.at(-1) ?? 0) - (window[0] ?? 0)) / 1000);
    expect(observed).toBeGreaterThan(rate * 0.9);
    expect(observed).toBeLessThan(rate * 1.1);
  }, 180_000);
});

describe("A/B tests", { timeout: 120_000 }, () => {
  it("picks a planted winner by human clicks and sends it to the rest of the audience", async () => {
    // Clicks at once after delivery look like a link scanner's; these are planted "people".
    await api.call("PATCH", "/api/v1/settings", { sending: { scannerClickSeconds: 0 } });
    const { listId, emails } = await seedAudience(conn.db, "ab", 200);
    const id = await newCampaign(listId, {
      abTest: {
        variants: [
          { name: "Plain", subject: "Plain subject" },
          { name: "Personal", subject: "For you, {{ subscriber.name }}" },
        ],
        testPercent: 40,
        metric: "clicks",
        waitMinutes: 60,
      },
    });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    const testing = await until("the test phase to be sent", async () => {
      const row = await campaignRow(id);
      const delivered = sink.messages.filter((m) => emails.includes(m.to)).length;
      return row?.status === "testing" && row.testEndsAt && delivered === (await testSize(id)) ? row : null;
    });
    const testCount = await testSize(id);
    expect(testCount).toBeGreaterThan(40);
    expect(testCount).toBeLessThan(120);
    expect(testing.audienceSize).toBe(200);
    // Only the audience in the test got mail so far.
    const testMail = sink.messages.filter((m) => emails.includes(m.to));
    expect(testMail).toHaveLength(testCount);
    // Plant the winner: people click in "Personal" messages, not in "Plain" ones.
    let clicks = 0;
    for (const m of testMail) {
      const raw = m.raw.toString("utf8");
      if (!/^Subject: For you/m.test(raw)) continue;
      const link = /https?:\/\/[^\s"]+\/c\/[A-Za-z0-9_-]+/.exec(raw.replace(/=\r\n/g, ""))?.[0];
      expect(link).toBeDefined();
      const res = await fetch(link ?? "", {
        redirect: "manual",
        headers: {
          "user-agent":
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
        },
      });
      expect(res.status).toBe(302);
      clicks++;
    }
    expect(clicks).toBeGreaterThan(10);
    await until("the clicks to be counted", async () => {
      const [r] = await conn.db
        .select({ n: sql<number>`count(*)::int` })
        .from(sends)
        .where(sql`${sends.campaignId} = ${id} and ${sends.clickedAt} is not null`);
      return (r?.n ?? 0) >= clicks;
    });
    // The wait is over: the cron asks the consumer to decide.
    await conn.db.update(campaigns).set({ testEndsAt: sql`now()` }).where(eq(campaigns.id, id));
    await api.cron();
    const done = await waitStatus(id, "sent");
    expect(done?.winnerReason).toMatch(/"Personal" won on unique clicks per send/);
    const variants = await api.call<{ variants: { name: string; isWinner: boolean }[] }>(
      "GET",
      `/api/v1/campaigns/${id}`,
    );
    expect(variants.body.variants.find((v) => v.isWinner)?.name).toBe("Personal");
    for (const e of emails) expect(sink.count(e), e).toBe(1);
    const rest = sink.messages.filter((m) => emails.includes(m.to)).slice(testCount);
    expect(rest).toHaveLength(200 - testCount);
    for (const m of rest) expect(m.raw.toString("utf8")).toMatch(/^Subject: For you, Person \d+/m);
    const stats = await api.call<{
      uniqueClicks: number;
      variants: { name: string; uniqueClicks: number; audience: number }[];
    }>("GET", `/api/v1/campaigns/${id}/stats`);
    expect(stats.body.variants.find((v) => v.name === "Personal")?.uniqueClicks).toBe(clicks);
    expect(stats.body.variants.find((v) => v.name === "Plain")?.uniqueClicks).toBe(0);
    await api.call("PATCH", "/api/v1/settings", { sending: { scannerClickSeconds: 10 } });
  });

  it("falls back to the first variant, and says so, when the sample says nothing", async () => {
    const { listId } = await seedAudience(conn.db, "abtie", 30);
    const id = await newCampaign(listId, {
      abTest: {
        variants: [
          { name: "First", subject: "One" },
          { name: "Second", subject: "Two" },
        ],
        testPercent: 50,
        metric: "opens",
        waitMinutes: 60,
      },
    });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("testing", async () => (await campaignRow(id))?.testEndsAt);
    await conn.db.update(campaigns).set({ testEndsAt: sql`now()` }).where(eq(campaigns.id, id));
    await until("the test to end", async () => {
      await api.cron();
      return (await campaignRow(id))?.status === "sent";
    });
    expect((await campaignRow(id))?.winnerReason).toMatch(/Sample too small.*"First", the first variant/);
  });
});

async function testSize(campaignId: string): Promise<number> {
  const [r] = await conn.db
    .select({ n: sql<number>`count(*)::int` })
    .from(sends)
    .innerJoin(
      sendChunks,
      sql`${sendChunks.campaignId} = ${sends.campaignId} and ${sends.id} between ${sendChunks.firstSendId} and ${sendChunks.lastSendId}`,
    )
    .where(sql`${sends.campaignId} = ${campaignId} and ${sendChunks.phase} = 'test'`);
  return r?.n ?? 0;
}

describe("automatic pause on relay errors", { timeout: 90_000 }, () => {
  it("pauses after 20 relay errors in a row and says why", async () => {
    const { listId } = await seedAudience(conn.db, "down", 40);
    const relay = await api.call<{ id: string }>("POST", "/api/v1/relays", {
      name: "closed port",
      host: "127.0.0.1",
      port: 1,
      security: "none",
      maxPerSecond: 1000,
    });
    const id = await newCampaign(listId, { relayId: relay.body.id });
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    const paused = await waitStatus(id, "paused");
    expect(paused?.pausedReason).toMatch(/relay errors in a row \(last: .*(connect|refused)/i);
    const [queued] = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(sends)
      .where(and(eq(sends.campaignId, id), eq(sends.status, "queued")));
    // Nothing was lost: every recipient is still waiting to be sent once the relay is fixed.
    expect(queued?.n).toBe(40);
  });
});
