import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Lease } from "../../workers/domain/sending/lease";
import {
  claimSend,
  claimSends,
  recordOutcome,
  releaseClaim,
  renewClaims,
} from "../../workers/domain/sending/ledger";
import {
  findStrandedTransactional,
  markTransactionalDead,
} from "../../workers/domain/sending/transactional-ledger";
import { openDb, queryRows } from "../../workers/lib/db";
import { stack } from "../support/api";

/**
 * The send ledger's fenced claims, called directly on a real database: a claim passes to another
 * claimant only after its lease, and from then on the first claimant can change nothing.
 */

const conn = openDb(stack().databaseUrl);
const db = conn.db;
afterAll(() => conn.close());

/** A sending campaign with `n` queued ledger rows; returns its id and the rows' id range. */
async function campaignWith(n: number) {
  const [t] = await queryRows<{ id: string }>(
    db,
    sql`insert into templates (id, name, kind) values (gen_random_uuid(), 'ledger', 'campaign') returning id`,
  );
  const [c] = await queryRows<{ id: string }>(
    db,
    sql`insert into campaigns (id, name, status, template_id, from_name, from_email)
      values (gen_random_uuid(), 'ledger', 'sending', ${t?.id}::uuid, 'L', 'l@example.com') returning id`,
  );
  const campaignId = c?.id ?? "";
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into sends (campaign_id, email)
      select ${campaignId}::uuid, 'ledger-' || i || '@example.com' from generate_series(1, ${n}) i returning id`,
  );
  const ids = rows.map((r) => Number(r.id));
  return { campaignId, first: Math.min(...ids), last: Math.max(...ids) };
}

const statusOf = async (id: number) =>
  (
    await queryRows<{ status: string; claim_token: string | null }>(
      db,
      sql`select status, claim_token from sends where id = ${id}`,
    )
  )[0];

describe("fenced claims", () => {
  it("lets a second claimant take rows only after the lease, and then fences the first out", async () => {
    const range = await campaignWith(3);
    const a = crypto.randomUUID();
    const claimedA = await claimSends(db, { ...range, limit: 10, leaseSeconds: 60, token: a });
    expect(claimedA).toHaveLength(3);
    // Within the lease: nothing for anyone else.
    expect(
      await claimSends(db, { ...range, limit: 10, leaseSeconds: 60, token: crypto.randomUUID() }),
    ).toEqual([]);
    // The lease runs out (the claim is made to look old), and B takes the rows over.
    await db.execute(
      sql`update sends set claimed_at = now() - interval '2 minutes' where claim_token = ${a}::uuid`,
    );
    const b = crypto.randomUUID();
    const claimedB = await claimSends(db, { ...range, limit: 10, leaseSeconds: 60, token: b });
    expect(claimedB.map((c) => c.attempts)).toEqual([2, 2, 2]);
    const first = claimedA[0]?.id ?? 0;
    // A can neither renew, nor record, nor give back what is now B's.
    expect(
      await renewClaims(
        db,
        claimedA.map((c) => c.id),
        a,
      ),
    ).toBe(0);
    const late = await recordOutcome(db, { id: first, kind: "sent", messageId: "a@x" }, a, range.campaignId);
    expect(late.recorded).toBe(false);
    await releaseClaim(db, { ...range, token: a, keep: [] });
    expect(await statusOf(first)).toEqual({ status: "sending", claim_token: b });
    // B records; recording again (an answer lost, the write retried) finds its own result.
    expect(
      (await recordOutcome(db, { id: first, kind: "sent", messageId: "b@x" }, b, range.campaignId)).recorded,
    ).toBe(true);
    const again = await recordOutcome(db, { id: first, kind: "sent", messageId: "b@x" }, b, range.campaignId);
    expect(again).toEqual({ recorded: true, campaignStatus: "sending" });
  });

  it("gives back, by its token, what a claim holds but the claimant never got to see", async () => {
    const range = await campaignWith(4);
    const token = crypto.randomUUID();
    const claimed = await claimSends(db, { ...range, limit: 10, leaseSeconds: 60, token });
    const kept = claimed[0]?.id ?? 0;
    await releaseClaim(db, { ...range, token, keep: [kept] });
    const rows = await queryRows<{ status: string; attempts: number }>(
      db,
      sql`select status, attempts from sends where campaign_id = ${range.campaignId}::uuid order by id`,
    );
    expect(rows).toEqual([
      { status: "sending", attempts: 1 },
      { status: "queued", attempts: 0 },
      { status: "queued", attempts: 0 },
      { status: "queued", attempts: 0 },
    ]);
  });

  it("keeps a claim alive with its heartbeat, and stops committing once the claim is taken", async () => {
    const range = await campaignWith(2);
    const token = crypto.randomUUID();
    const asked = Date.now();
    const claimed = await claimSends(db, { ...range, limit: 10, leaseSeconds: 2, token });
    const lease = new Lease(
      db,
      token,
      claimed.map((c) => c.id),
      2_000,
      asked,
    ).start();
    try {
      expect(lease.mayCommit()).toBe(true);
      // Past the lease by the claim's own time, still held: the heartbeat renewed it.
      await new Promise((r) => setTimeout(r, 2_600));
      expect(lease.mayCommit()).toBe(true);
      expect(
        await claimSends(db, { ...range, limit: 10, leaseSeconds: 2, token: crypto.randomUUID() }),
      ).toEqual([]);
      // Someone takes a row over: at the next renewal the lease knows, and commits stop.
      await db.execute(
        sql`update sends set claim_token = gen_random_uuid() where id = ${claimed[0]?.id ?? 0}`,
      );
      await new Promise((r) => setTimeout(r, 1_000));
      expect(lease.mayCommit()).toBe(false);
    } finally {
      await lease.stop();
    }
  });
});

describe("transactional sends in the ledger", () => {
  /** A transactional ledger row last touched ten minutes ago. */
  async function transactional(status: "queued" | "sending") {
    const email = `tx-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`insert into sends (email, status, payload, updated_at)
        values (${email}, ${status}::send_status, '{"templateId":"x"}'::jsonb, now() - interval '10 minutes')
        returning id`,
    );
    return Number(row?.id);
  }

  it("finds the stranded ones: queued and overdue, or claimed past the lease; not the fresh ones", async () => {
    const overdue = await transactional("queued");
    const [fresh] = await queryRows<{ id: string }>(
      db,
      sql`insert into sends (email, status, payload) values ('tx-fresh@example.com', 'queued', '{}'::jsonb) returning id`,
    );
    const abandoned = await transactional("sending");
    await db.execute(
      sql`update sends set claimed_at = now() - interval '20 minutes' where id = ${abandoned}`,
    );
    const held = await transactional("sending");
    await db.execute(sql`update sends set claimed_at = now() where id = ${held}`);
    const found = await findStrandedTransactional(db, 600);
    expect(found).toEqual(expect.arrayContaining([overdue, abandoned]));
    expect(found).not.toContain(Number(fresh?.id));
    expect(found).not.toContain(held);
    // The sweep hands them to the queue; a claim then takes each once.
    const token = crypto.randomUUID();
    expect(await claimSend(db, { id: abandoned, leaseSeconds: 600, token })).toMatchObject({
      status: "sending",
    });
    expect(await claimSend(db, { id: abandoned, leaseSeconds: 600, token: crypto.randomUUID() })).toBeNull();
  });

  it("fails a send whose delivery job died in the dead-letter queue, unless a live sender holds it", async () => {
    const dead = await transactional("queued");
    const held = await transactional("sending");
    await db.execute(sql`update sends set claimed_at = now() where id = ${held}`);
    await markTransactionalDead(db, dead, 600);
    await markTransactionalDead(db, held, 600);
    const [d] = await queryRows<{ status: string; payload: unknown; last_error: string }>(
      db,
      sql`select status, payload, last_error from sends where id = ${dead}`,
    );
    expect(d).toMatchObject({ status: "failed", payload: null });
    expect(d?.last_error).toMatch(/delivery job failed every retry/);
    expect((await statusOf(held))?.status).toBe("sending");
  });
});
