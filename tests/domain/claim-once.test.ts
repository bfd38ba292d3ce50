import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { rateLimits } from "../../schema/settings";
import { claimOnce, purgeRateLimits } from "../../workers/domain/rate-limit";
import { openDb } from "../../workers/lib/db";
import { stack } from "../support/api";

const conn = openDb(stack().databaseUrl);
afterAll(() => conn.close());

/** Moves a key's claim `seconds` into the past. */
const age = (key: string, seconds: number) =>
  conn.db
    .update(rateLimits)
    .set({ windowStartedAt: sql`now() - make_interval(secs => ${seconds})` })
    .where(eq(rateLimits.key, key));

describe("one-time keys (claimOnce)", () => {
  it("claims a key once within its ttl, again after it, and not at all in a rolled-back transaction", async () => {
    const key = `test:once:${crypto.randomUUID()}`;
    await conn.db
      .transaction(async (tx) => {
        expect(await claimOnce(tx, key, 1200)).toBe(true);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!String(err).includes("Rollback")) throw err;
      });
    // The failed attempt left nothing: the provider's retry of the same request is accepted.
    expect(await claimOnce(conn.db, key, 1200)).toBe(true);
    expect(await claimOnce(conn.db, key, 1200)).toBe(false);
    await age(key, 1100);
    expect(await claimOnce(conn.db, key, 1200)).toBe(false);
    await age(key, 1300);
    expect(await claimOnce(conn.db, key, 1200)).toBe(true);
    expect(await claimOnce(conn.db, key, 1200)).toBe(false);
    // The cron's purge removes the key an hour after its claim.
    await age(key, 3700);
    await purgeRateLimits(conn.db);
    expect(await conn.db.select().from(rateLimits).where(eq(rateLimits.key, key))).toEqual([]);
  });

  it("of concurrent claims of one key, exactly one wins", async () => {
    const key = `test:race:${crypto.randomUUID()}`;
    const others = Array.from({ length: 3 }, () => openDb(stack().databaseUrl));
    try {
      const wins = await Promise.all([conn, ...others].map((c) => claimOnce(c.db, key, 1200)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(others.map((c) => c.close()));
    }
  });
});
