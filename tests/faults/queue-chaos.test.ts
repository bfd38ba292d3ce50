import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, type DbConnection, openDb, queryRows } from "../../workers/lib/db";
import { signClick, signOpen } from "../../workers/lib/tracking-token";
import { ledger, newCampaign, notExactlyOnce, sleep, waitFinished } from "../support/campaign-run";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * Every queue message delivered twice and out of order (QUEUE_CHAOS=duplicate: each send or
 * batch is put on the queue again with a random extra delay, the batch reversed), for the sends,
 * events and imports queues. The results must be as if each had come once.
 */

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({
    vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "2000", QUEUE_CHAOS: "duplicate" },
  });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
  await api.call("PATCH", "/api/v1/settings", { sending: { retryBaseSeconds: 1 } });
});

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

const count = async (db: Database, query: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(db, query))[0]?.n ?? 0;

describe("queue messages delivered twice, out of order", () => {
  it("sends a campaign once per recipient, retries included", async () => {
    const n = 1200;
    const { listId, emails } = await seedAudience(conn.db, "chaos", n);
    // A fifth of the recipients deferred once: their retries ride the queue too, twice each.
    sink.rule = (rcpt, attempt) =>
      attempt === 1 && rcpt.endsWith("0@sink.example.com") ? { code: 451, text: "4.3.0 Try again" } : null;
    try {
      const id = await newCampaign(api, listId, "chaos");
      await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
      const done = await waitFinished(conn.db, api, id, 180_000);
      expect(done.status).toBe("sent");
      expect(notExactlyOnce(sink, emails)).toEqual([]);
      expect(await ledger(conn.db, id)).toEqual({ sent: n });
      expect(done.sentCount).toBe(n);
      const chunks = await queryRows<{ attempts: number }>(
        conn.db,
        sql`select attempts from send_chunks where campaign_id = ${id}::uuid order by seq`,
      );
      console.log(`chunk deliveries (duplicates included): ${chunks.map((c) => c.attempts).join(", ")}`);
    } finally {
      sink.rule = () => null;
    }
  });

  it("sends a transactional message once although its retry is delivered twice", async () => {
    const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
      name: "chaos receipt",
      subject: "Receipt",
      html: "<p>Thanks {{ data.name }}</p>",
      kind: "transactional",
    });
    sink.rule = (rcpt, attempt) =>
      rcpt === "buyer@sink.example.com" && attempt === 1 ? { code: 451, text: "4.3.0 Busy" } : null;
    try {
      const res = await api.call<{ id: string; status: string }>("POST", "/api/v1/transactional", {
        templateId: t.body.id,
        to: "buyer@sink.example.com",
        data: { name: "Ada" },
        fromEmail: "shop@sink.example.com",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await until(
        "the retry to be sent",
        async () =>
          (await api.call<{ status: string }>("GET", `/api/v1/transactional/${res.body.id}`)).body.status ===
          "sent",
        60_000,
      );
      await sleep(5_000); // the duplicate retry arrives and finds nothing to do
      expect(sink.count("buyer@sink.example.com")).toBe(1);
    } finally {
      sink.rule = () => null;
    }
  });

  it("applies an import once: every row once, the counts exact", async () => {
    const n = 10_000;
    const list = await api.call<{ id: string }>("POST", "/api/v1/lists", {
      name: "chaos import",
      optIn: "single",
      visibility: "private",
    });
    const rows = Array.from({ length: n }, (_, i) => `row-${i}@chaos-import.example.com,Row ${i}`);
    // Some rows appear twice in the file: the later one is a reported duplicate, whatever the order.
    const csv = `email,name\n${rows.join("\n")}\n${rows.slice(0, 50).join("\n")}\n`;
    const up = await api.send("POST", `/api/v1/imports?listIds=${list.body.id}`, csv, "text/csv");
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const done = await until(
      "the import to finish",
      async () => {
        const p = await api.call<Record<string, unknown>>("GET", `/api/v1/imports/${up.body.id}`);
        return p.body.status === "done" ? p.body : null;
      },
      120_000,
    );
    await sleep(4_000); // the duplicated chunk messages arrive and change nothing
    const again = await api.call<Record<string, unknown>>("GET", `/api/v1/imports/${up.body.id}`);
    expect(again.body).toMatchObject({ total: n + 50, processed: n + 50, inserted: n, failed: 50 });
    expect(again.body).toMatchObject({ processed: done.processed, inserted: done.inserted });
    expect(
      await count(
        conn.db,
        sql`select count(*)::int as n from subscribers where email like '%@chaos-import.example.com'`,
      ),
    ).toBe(n);
  });

  it("stores each open and click once and counts them once", async () => {
    const { listId } = await seedAudience(conn.db, "chaos-events", 40);
    const id = await newCampaign(api, listId, "chaos events");
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await waitFinished(conn.db, api, id, 60_000);
    const sends = await queryRows<{ id: string; subscriber_id: string }>(
      conn.db,
      sql`select id, subscriber_id from sends where campaign_id = ${id}::uuid`,
    );
    const secret = stk.secrets.TRACKING_SECRET ?? "";
    await sleep(11_000); // past the scanner window: these clicks are a person's
    for (const s of sends) {
      const ids = { sendId: Number(s.id), campaignId: id, subscriberId: s.subscriber_id };
      await fetch(`${stk.baseUrl}/o/${await signOpen(secret, ids)}`);
      await fetch(
        `${stk.baseUrl}/c/${await signClick(secret, { ...ids, linkIndex: 0, url: "https://example.com/read" })}`,
        {
          redirect: "manual",
        },
      );
    }
    const expected = sends.length * 2;
    await expect
      .poll(
        () =>
          count(
            conn.db,
            sql`select count(*)::int as n from events where campaign_id = ${id}::uuid and kind in ('open', 'click')`,
          ),
        { timeout: 60_000, interval: 500 },
      )
      .toBe(expected);
    await sleep(5_000); // every duplicate pack has arrived by now
    const stats = await api.call<{
      opens: number;
      uniqueOpens: number;
      clicks: number;
      uniqueClicks: number;
    }>("GET", `/api/v1/campaigns/${id}/stats`);
    expect(stats.body).toMatchObject({
      opens: sends.length,
      uniqueOpens: sends.length,
      clicks: sends.length,
      uniqueClicks: sends.length,
    });
    expect(
      await count(
        conn.db,
        sql`select count(*)::int as n from events where campaign_id = ${id}::uuid and kind in ('open', 'click')`,
      ),
    ).toBe(expected);
  });
});

describe("workflow messages and timers delivered twice, out of order", () => {
  /** Messages per recipient, by subject, from the sink (subjects carry the node's letter). */
  const subjectsOf = (email: string) =>
    sink.messages
      .filter((m) => m.to === email)
      .map((m) => /^Subject: (.*)$/im.exec(m.raw.toString("utf8"))?.[1]?.trim() ?? "")
      .sort();

  async function template(subject: string) {
    const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
      name: `chaos wf ${subject}`,
      subject,
      html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
      kind: "campaign",
    });
    return t.body.id;
  }

  it("sends once per run and node: drains, timers' wake-ups and events all twice", async () => {
    const n = 200;
    const { listId, emails } = await seedAudience(conn.db, "wfchaos", n);
    const [a, b] = [await template("Workflow A"), await template("Workflow B")];
    const wf = await api.call<{ id: string }>("POST", "/api/v1/workflows", {
      name: "chaos series",
      trigger: { type: "list_joined", listId, existing: true },
      nodes: [
        { id: "a", type: "send", templateId: a, fromEmail: "flow@sink.example.com" },
        { id: "w", type: "wait", seconds: 4 },
        { id: "b", type: "send", templateId: b, fromEmail: "flow@sink.example.com" },
      ],
      edges: [
        { from: "a", to: "w" },
        { from: "w", to: "b" },
      ],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await api.call("POST", `/api/v1/workflows/${wf.body.id}/activate`)).status).toBe(200);
    // Events, each delivered twice: an `always` workflow still starts one run per event.
    const c = await template("Workflow C");
    const ev = await api.call<{ id: string }>("POST", "/api/v1/workflows", {
      name: "chaos events",
      trigger: { type: "event", name: "chaos_event" },
      reentry: "always",
      nodes: [{ id: "c", type: "send", templateId: c, fromEmail: "flow@sink.example.com" }],
      edges: [],
    });
    await api.call("POST", `/api/v1/workflows/${ev.body.id}/activate`);
    const eventful = emails.slice(0, 20);
    for (const email of eventful) await api.call("POST", "/api/v1/events", { email, name: "chaos_event" });
    const mailed = () => sink.messages.filter((m) => m.to.startsWith("wfchaos-")).length;
    await until("every workflow message", async () => mailed() >= 2 * n + eventful.length || null, 120_000);
    await sleep(8000);
    const wrong = emails.filter((e) => {
      const want = eventful.includes(e)
        ? ["Workflow A", "Workflow B", "Workflow C"]
        : ["Workflow A", "Workflow B"];
      return JSON.stringify(subjectsOf(e)) !== JSON.stringify(want);
    });
    expect(wrong.map((e) => `${e}: ${subjectsOf(e).join(", ")}`)).toEqual([]);
    expect(
      await count(
        conn.db,
        sql`select count(*)::int as n from workflow_instances where workflow_id = ${wf.body.id}::uuid and status = 'completed'`,
      ),
    ).toBe(n);
  });
});
