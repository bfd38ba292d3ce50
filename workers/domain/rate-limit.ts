import { sql } from "drizzle-orm";
import { rateLimits } from "../../schema/settings";
import type { Database } from "../lib/db";
import { AppError } from "../lib/errors";

export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** Public subscription: per client IP. */
export const SUBSCRIBE_LIMIT: RateLimit = { limit: 10, windowSeconds: 60 };

/**
 * Counts one hit on `key` in a fixed window with a single atomic upsert (no read-then-write race
 * between concurrent requests) and throws 429 with Retry-After once the window holds more than
 * `limit` hits. The window restarts on the first hit after it has ended.
 */
export async function hitRateLimit(db: Database, key: string, rule: RateLimit): Promise<void> {
  const ended = sql`${rateLimits.windowStartedAt} <= now() - make_interval(secs => ${rule.windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${ended} then 1 else ${rateLimits.hits} + 1 end`,
        windowStartedAt: sql`case when ${ended} then now() else ${rateLimits.windowStartedAt} end`,
      },
    })
    .returning({
      hits: rateLimits.hits,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from
        (${rateLimits.windowStartedAt} + make_interval(secs => ${rule.windowSeconds}) - now()))))::int`,
    });
  if (row && row.hits > rule.limit) {
    throw new AppError(
      "rate_limited",
      "Too many requests from your address; try again shortly",
      undefined,
      Number(row.retryAfter) || rule.windowSeconds,
    );
  }
}

/**
 * Claims a one-time `key` (e.g. a signed webhook's token): true the first time, false while it
 * was claimed less than `ttlSeconds` ago. One atomic upsert: of two concurrent claims, the second
 * waits for the first's transaction and then sees it (or, if that rolled back, claims the key).
 * The row lives in `rate_limits`; the cron's purge keeps it an hour, so `ttlSeconds` may be at
 * most 3600.
 */
export async function claimOnce(db: Database, key: string, ttlSeconds: number): Promise<boolean> {
  const rows = await db
    .insert(rateLimits)
    .values({ key, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: { hits: 1, windowStartedAt: sql`now()` },
      setWhere: sql`${rateLimits.windowStartedAt} <= now() - make_interval(secs => ${ttlSeconds})`,
    })
    .returning({ key: rateLimits.key });
  return rows.length > 0;
}

/** Housekeeping for the cron: deletes windows (and one-time keys) older than `maxWindowSeconds`. */
export async function purgeRateLimits(db: Database, maxWindowSeconds = 3600): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(sql`${rateLimits.windowStartedAt} < now() - make_interval(secs => ${maxWindowSeconds})`)
    .returning({ key: rateLimits.key });
  return rows.length;
}
