import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbConnection, openDb, queryRows } from "../../workers/lib/db";
import { ledger, newCampaign, notExactlyOnce, sleep, waitFinished } from "../support/campaign-run";
import { client, seedAudience, until } from "../support/client";
import { type Sink, startSink } from "../support/sink";
import { type Stack, startStack } from "../support/stack";

/**
 * Pause and cancel against a relay limited to 10 messages a second, where every lane spends most
 * of its time waiting for the relay's budget: nothing may go out after the lanes have seen the
 * pause or cancel but the one message each may have on the wire, and the counts the page shows
 * must end equal to what the relay accepted.
 */

let sink: Sink;
let stk: Stack;
let conn: DbConnection;
let api: ReturnType<typeof client>;
/** At most one message per lane (4) may be past its last check when the pause lands. */
const IN_FLIGHT = 4;

beforeAll(async () => {
  sink = await startSink();
  stk = await startStack({ vars: { SMTP_URL: sink.url, SMTP_MAX_PER_SECOND: "10" } });
  conn = openDb(stk.databaseUrl);
  api = client(stk.baseUrl);
  await api.setup();
});

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await sink?.close();
});

const delivered = (emails: string[]) => {
  const set = new Set(emails);
  return sink.messages.filter((m) => set.has(m.to)).length;
};

/** Stats once nothing is in flight: what the page shows after its last poll. */
async function settled(id: string) {
  return until(
    "messages in flight to settle",
    async () => {
      const s = await api.call<{ inFlight: number; sent: number; status: string }>(
        "GET",
        `/api/v1/campaigns/${id}/stats`,
      );
      return s.body.inFlight === 0 ? s.body : null;
    },
    20_000,
  );
}

describe("pause and cancel at 10 messages a second", { timeout: 120_000 }, () => {
  it("stops before the next message of every lane on pause; the counts equal what the relay took; resume sends the rest once", async () => {
    const n = 120;
    const { listId, emails } = await seedAudience(conn.db, "pause10", n);
    const id = await newCampaign(api, listId, "pause at 10/s");
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("20 messages", async () => delivered(emails) >= 20, 30_000);
    const pause = await api.call("POST", `/api/v1/campaigns/${id}/pause`, {});
    expect(pause.status).toBe(200);
    const atPause = delivered(emails);
    await sleep(3_000);
    const after = delivered(emails);
    expect(after - atPause).toBeLessThanOrEqual(IN_FLIGHT);
    const stats = await settled(id);
    const campaign = await api.call<{ sentCount: number }>("GET", `/api/v1/campaigns/${id}`);
    expect(campaign.body.sentCount).toBe(after);
    expect(stats.sent).toBe(after);
    expect(delivered(emails)).toBe(after);

    await api.call("POST", `/api/v1/campaigns/${id}/resume`, {});
    const done = await waitFinished(conn.db, api, id, 60_000);
    expect(done.status).toBe("sent");
    expect(notExactlyOnce(sink, emails)).toEqual([]);
  });

  it("stops on cancel: nothing more goes out, the rest is skipped, the counts equal what the relay took", async () => {
    const n = 120;
    const { listId, emails } = await seedAudience(conn.db, "cancel10", n);
    const id = await newCampaign(api, listId, "cancel at 10/s");
    await api.call("POST", `/api/v1/campaigns/${id}/send`, {});
    await until("20 messages", async () => delivered(emails) >= 20, 30_000);
    expect((await api.call("POST", `/api/v1/campaigns/${id}/cancel`, {})).status).toBe(200);
    const atCancel = delivered(emails);
    await sleep(3_000);
    const after = delivered(emails);
    expect(after - atCancel).toBeLessThanOrEqual(IN_FLIGHT);
    const stats = await settled(id);
    expect(stats.status).toBe("cancelled");
    const campaign = await api.call<{ sentCount: number }>("GET", `/api/v1/campaigns/${id}`);
    expect(campaign.body.sentCount).toBe(after);
    expect(stats.sent).toBe(after);
    // Every recipient is accounted for: sent (exactly what the relay took) or skipped.
    expect(await ledger(conn.db, id)).toEqual({ sent: after, skipped: n - after });
    await sleep(2_000);
    expect(delivered(emails)).toBe(after);
    const [stuck] = await queryRows<{ n: number }>(
      conn.db,
      sql`select count(*)::int as n from sends where campaign_id = ${id}::uuid and status in ('queued', 'sending')`,
    );
    expect(stuck?.n).toBe(0);
  });
});
