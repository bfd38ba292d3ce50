import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../schema/campaigns";
import { sends } from "../../schema/sends";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * The crash test: the Worker process is killed (SIGKILL: no cleanup, its local queue lost with it)
 * halfway through a campaign, while the relay holds messages in DATA without answering. After a
 * restart the cron finds the stalled chunks, and every recipient ends with exactly one message.
 */

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({
    vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "2000", SEND_LEASE_SECONDS: "10" },
  });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
}, 180_000);

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

describe("crash and resume", () => {
  it("kills the Worker halfway through a campaign; after a restart every recipient gets exactly one message", {
    timeout: 240_000,
  }, async () => {
    const n = 1500;
    const { listId, emails } = await seedAudience(conn.db, "crash", n);
    const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
      name: "Crash",
      subject: "Hello {{ subscriber.name }}",
      html: '<p>Hi</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    });
    const c = await api.call<{ id: string }>("POST", "/api/v1/campaigns", {
      name: "crash",
      templateId: t.body.id,
      listIds: [listId],
      fromName: "Crash",
      fromEmail: "news@sink.example.com",
    });
    sink.stallAfter = Math.floor(n / 2);
    await api.call("POST", `/api/v1/campaigns/${c.body.id}/send`, {});
    await until("the relay to stall halfway", async () => sink.stall, 120_000);
    // Give every lane time to reach the stalled relay: all in-flight messages are then unanswered.
    await new Promise((r) => setTimeout(r, 2000));
    const delivered = sink.messages.length;
    expect(delivered).toBe(n / 2);
    const [inFlight] = await conn.db
      .select({ n: sql<number>`count(*)::int` })
      .from(sends)
      .where(sql`${sends.campaignId} = ${c.body.id} and ${sends.status} = 'sending'`);
    expect(inFlight?.n).toBeGreaterThan(0);

    await stk.crashAndRestart(async () => {
      sink.stall = false;
      sink.stallAfter = undefined;
    });
    await api.login();
    // The lease (10 s) passes; the cron re-queues the chunks whose messages died with the Worker.
    await new Promise((r) => setTimeout(r, 10_500));
    await until(
      "the campaign to finish",
      async () => {
        if (Math.random() < 0.1) await api.cron();
        const [row] = await conn.db.select().from(campaigns).where(eq(campaigns.id, c.body.id));
        return row?.status === "sent" ? row : null;
      },
      180_000,
    );
    const perRecipient = new Map<string, number>();
    for (const m of sink.messages) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    const wrong = emails
      .filter((e) => perRecipient.get(e) !== 1)
      .map((e) => `${e}: ${perRecipient.get(e) ?? 0}`);
    expect(wrong).toEqual([]);
    const [row] = await conn.db.select().from(campaigns).where(eq(campaigns.id, c.body.id));
    expect(row).toMatchObject({ status: "sent", sentCount: n, audienceSize: n });
    const stats = await api.call<{ sent: number }>("GET", `/api/v1/campaigns/${c.body.id}/stats`);
    expect(stats.body.sent).toBe(n);
  });
});
