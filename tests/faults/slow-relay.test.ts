import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbConnection, openDb, queryRows } from "../../workers/lib/db";
import { ledger, newCampaign, notExactlyOnce, sleep, waitFinished } from "../support/campaign-run";
import { client, seedAudience } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * A relay slower than the lease: every message takes 5 s to be answered while a claim is taken
 * as lost after 3 s. A second Worker process (a concurrent consumer, as production has many)
 * finds the chunk "stalled" with its cron and comes for the same rows; the first sender's
 * heartbeat keeps its claims, and every recipient gets one message.
 */

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({
    vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "100", SEND_LEASE_SECONDS: "3" },
  });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
});

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

describe("a relay slower than the lease", () => {
  it("sends each recipient once although every reply outlasts the lease and other lanes come for the rows", async () => {
    const n = 8;
    const { listId, emails } = await seedAudience(conn.db, "slow", n);
    sink.replyDelayMs = 5_000;
    try {
      const twin = await stk.twin();
      const id = await newCampaign(api, listId, "slow relay");
      await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
      // The twin's cron, every 2 s, finds the chunk older than the lease and queues it on its own
      // queue: its consumer tries to claim what the first one holds and is still sending.
      let finished = false;
      const rival = (async () => {
        while (!finished) {
          await fetch(`${twin.baseUrl}/cdn-cgi/local/scheduled`).catch(() => undefined);
          await sleep(2_000);
        }
      })();
      const done = await waitFinished(conn.db, api, id, 180_000).finally(() => {
        finished = true;
      });
      await rival;
      expect(done.status).toBe("sent");
      expect(notExactlyOnce(sink, emails)).toEqual([]);
      expect(await ledger(conn.db, id)).toEqual({ sent: n });
      // One attempt each: no claim was ever taken over.
      const [tries] = await queryRows<{ max: number }>(
        conn.db,
        sql`select max(attempts)::int as max from sends where campaign_id = ${id}::uuid`,
      );
      expect(tries?.max).toBe(1);
    } finally {
      sink.replyDelayMs = 0;
    }
  });
});
