import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { ledger, newCampaign, notExactlyOnce, sleep, waitFinished } from "../support/campaign-run";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

/**
 * The relay misbehaving: refusing every connection for a minute (a TCP proxy in front of the
 * relay resets them), then answering 421 at the greeting and 451 4.7.1 to recipients. Nothing may
 * be lost or sent twice, the retries must show in the send log, and the sender must back off
 * rather than hammer the relay.
 */

let sink: Sink;
let relay: TcpProxy;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sink = await startSink();
  relay = await startTcpProxy({ host: "127.0.0.1", port: sink.port });
  stk = await startStack({
    vars: { SMTP_URL: sink.url.replace(`:${sink.port}`, `:${relay.port}`), SMTP_MAX_PER_SECOND: "100" },
  });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
  await api.call("PATCH", "/api/v1/settings", { sending: { retryBaseSeconds: 1, maxAttempts: 6 } });
});

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await relay?.close();
  await sink?.close();
});

interface LogRow {
  email: string;
  status: string;
  attempts: number;
}

async function sendLog(campaignId: string): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { body: { data: LogRow[]; nextCursor: string | null } } = await api.call(
      "GET",
      `/api/v1/campaigns/${campaignId}/sends?limit=500${cursor ? `&cursor=${cursor}` : ""}`,
    );
    rows.push(...page.body.data);
    cursor = page.body.nextCursor;
    if (!cursor) return rows;
  }
}

describe("a relay that refuses and defers", () => {
  it("waits out a relay refusing connections for a minute, then resumes by itself: nothing lost, nothing twice", async () => {
    const n = 400;
    const { listId, emails } = await seedAudience(conn.db, "refused", n);
    const id = await newCampaign(api, listId, "relay down");
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("a quarter to go out", async () => sink.messages.length >= n / 4, 60_000);

    relay.cut();
    const cutAt = Date.now();
    const paused = await until(
      "the campaign to pause itself",
      async () => {
        const c = await api.call<{ status: string; pausedReason: string | null }>(
          "GET",
          `/api/v1/campaigns/${id}`,
        );
        return c.body.status === "paused" ? c.body : null;
      },
      30_000,
    );
    expect(paused.pausedReason).toMatch(/relay errors in a row .*resumes by itself/i);
    // The launcher's cron keeps firing; each tick asks the relay once whether it is back.
    while (Date.now() - cutAt < 60_000) {
      await api.cron();
      await sleep(5_000);
    }
    const refusedWhileDown = relay.stats.refused;
    relay.restore();
    console.log(`relay down 60 s: ${refusedWhileDown} connection(s) refused`);
    // No busy loop: the lanes stop for 5 s after a failed connection and the campaign pauses;
    // the cron then asks once a minute-tick. Thousands would mean hammering.
    expect(refusedWhileDown).toBeLessThan(100);

    const done = await waitFinished(conn.db, api, id, 120_000);
    expect(done.status).toBe("sent");
    expect(notExactlyOnce(sink, emails)).toEqual([]);
    expect(await ledger(conn.db, id)).toEqual({ sent: n });
    const log = await sendLog(id);
    const retried = log.filter((r) => r.attempts > 1);
    // The messages the outage caught were retried, and the send log says so.
    expect(retried.length).toBeGreaterThan(0);
    expect(log.every((r) => r.status === "sent")).toBe(true);
  });

  it("answers 421 at the greeting and 451 4.7.1 to every first try: each recipient retried once and sent once", async () => {
    const n = 150;
    const { listId, emails } = await seedAudience(conn.db, "deferred", n);
    const before = sink.connections;
    sink.connectRule = (k) =>
      k - before <= 3 ? { code: 421, text: "4.7.0 Too many connections, try later" } : null;
    sink.rule = (_rcpt, attempt) =>
      attempt === 1 ? { code: 451, text: "4.7.1 Rate limited, slow down" } : null;
    try {
      const id = await newCampaign(api, listId, "deferred");
      await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
      const done = await waitFinished(conn.db, api, id, 180_000);
      expect(done.status).toBe("sent");
      expect(notExactlyOnce(sink, emails)).toEqual([]);
      // Every recipient heard exactly two RCPTs: the deferral, then the delivery; no hammering.
      const rcpts = emails.map((e) => sink.attempts.get(e) ?? 0);
      expect(rcpts.filter((k) => k !== 2)).toEqual([]);
      const log = await sendLog(id);
      expect(log.every((r) => r.status === "sent" && r.attempts >= 2)).toBe(true);
    } finally {
      sink.connectRule = () => null;
      sink.rule = () => null;
    }
  });
});
