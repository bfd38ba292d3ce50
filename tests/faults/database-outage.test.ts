import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
import { sends } from "../../schema/sends";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { signOpen } from "../../workers/lib/tracking-token";
import { ledger, newCampaign, notExactlyOnce, sleep, waitFinished } from "../support/campaign-run";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * Postgres unreachable for 30 s in the middle of a 5,000-recipient campaign: a TCP proxy between
 * the Worker and its database resets every connection, open and new. The campaign must wait by
 * itself and finish with every recipient sent exactly once, and the tracking endpoints must answer
 * the whole time, their events stored once the database is back.
 */

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({ dbProxy: true, vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "2000" } });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
});

afterAll(async () => {
  stk?.dbProxy?.restore();
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

describe("the database goes away mid-campaign", () => {
  it("waits 30 s without the database, then finishes: every recipient exactly once, tracking answered throughout", async () => {
    const n = 5000;
    const { listId, emails } = await seedAudience(conn.db, "outage", n);
    const campaignId = await newCampaign(api, listId, "outage");
    expect((await api.call("POST", `/api/v1/campaigns/${campaignId}/send`, {})).status).toBe(200);
    await until("a fifth of the campaign to go out", async () => sink.messages.length >= n / 5, 120_000);

    // Opens of messages already sent, to replay while the database is away.
    const sent = await conn.db
      .select({ id: sends.id, subscriberId: sends.subscriberId })
      .from(sends)
      .where(sql`${sends.campaignId} = ${campaignId} and ${sends.status} = 'sent'`)
      .limit(20);
    const secret = stk.secrets.TRACKING_SECRET ?? "";
    const tokens = await Promise.all(
      sent.map((s) => signOpen(secret, { sendId: s.id, campaignId, subscriberId: s.subscriberId })),
    );

    const proxy = stk.dbProxy;
    if (!proxy) throw new Error("the stack has no database proxy");
    proxy.cut();
    const cutAt = Date.now();
    const before = sink.messages.length;
    const pixels: number[] = [];
    let healthDown = false;
    while (Date.now() - cutAt < 30_000) {
      const token = tokens[pixels.length % tokens.length];
      const res = await fetch(`${stk.baseUrl}/o/${token}`);
      pixels.push(res.status);
      expect(res.headers.get("content-type")).toBe("image/gif");
      if ((await fetch(`${stk.baseUrl}/healthz`)).status === 503) healthDown = true;
      await sleep(1_000);
    }
    // Messages whose claim and write were done before the cut may still finish, nothing more.
    const duringOutage = sink.messages.length - before;
    proxy.restore();
    console.log(
      `outage: ${duringOutage} message(s) completed during the 30 s cut; proxy refused ${proxy.stats.refused} connection(s)`,
    );
    expect(healthDown).toBe(true);
    expect(pixels.every((s) => s === 200)).toBe(true);
    expect(duringOutage).toBeLessThanOrEqual(8); // at most the message in flight on each lane

    const done = await waitFinished(conn.db, api, campaignId);
    expect(done.status).toBe("sent");
    expect(notExactlyOnce(sink, emails)).toEqual([]);
    expect(await ledger(conn.db, campaignId)).toEqual({ sent: n });
    expect(done.sentCount).toBe(n);

    // The opens answered during the outage were queued, retried and stored once it ended.
    await expect
      .poll(
        async () => {
          const [row] = await conn.db
            .select({ n: sql<number>`count(*)::int` })
            .from(events)
            .where(
              sql`${events.kind} = 'open' and ${inArray(
                events.sendId,
                sent.map((s) => s.id),
              )}`,
            );
          return row?.n ?? 0;
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    const stats = await api.call<{ sent: number; opens: number }>(
      "GET",
      `/api/v1/campaigns/${campaignId}/stats`,
    );
    expect(stats.body.sent).toBe(n);
    const [chunkErrors] = await conn.db
      .execute(
        sql`select count(*)::int as n from send_chunks where campaign_id = ${campaignId}::uuid and status <> 'done'`,
      )
      .then((r) => (r as unknown as { rows: { n: number }[] }).rows);
    expect(chunkErrors?.n).toBe(0);
    void eq;
  });
});
