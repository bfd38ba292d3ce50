import { and, eq, sql } from "drizzle-orm";
import { loginAttempts } from "../../schema/users";
import type { Database } from "../lib/db";
import { AppError } from "../lib/errors";

export const MAX_LOGIN_FAILURES = 5;
export const LOCKOUT_SECONDS = 15 * 60;

/** Throws 429 with Retry-After while (email, ip) is locked out. */
export async function assertNotThrottled(db: Database, email: string, ip: string, now = new Date()) {
  const [row] = await db
    .select({ lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip)));
  if (row?.lockedUntil && row.lockedUntil > now) {
    const retryAfter = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
    throw new AppError("rate_limited", "Too many failed sign-ins; try again later", undefined, retryAfter);
  }
}

/**
 * Counts one failure in a single atomic upsert. The count restarts when the window is older than
 * the lockout period or a lockout has run out; the fifth failure locks for 15 minutes.
 */
export async function recordLoginFailure(db: Database, email: string, ip: string): Promise<void> {
  const stale = sql`(${loginAttempts.windowStartedAt} < now() - make_interval(secs => ${LOCKOUT_SECONDS})
    or (${loginAttempts.lockedUntil} is not null and ${loginAttempts.lockedUntil} <= now()))`;
  const failures = sql`case when ${stale} then 1 else ${loginAttempts.failures} + 1 end`;
  await db
    .insert(loginAttempts)
    .values({ email, ip, failures: 1 })
    .onConflictDoUpdate({
      target: [loginAttempts.email, loginAttempts.ip],
      set: {
        failures,
        windowStartedAt: sql`case when ${stale} then now() else ${loginAttempts.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${MAX_LOGIN_FAILURES}
          then now() + make_interval(secs => ${LOCKOUT_SECONDS}) else null end`,
      },
    });
}

export async function clearLoginFailures(db: Database, email: string, ip: string): Promise<void> {
  await db.delete(loginAttempts).where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip)));
}

/** Housekeeping for the cron: forget windows and lockouts that have run out. */
export async function purgeLoginAttempts(db: Database): Promise<number> {
  const rows = await db
    .delete(loginAttempts)
    .where(
      sql`${loginAttempts.windowStartedAt} < now() - make_interval(secs => ${LOCKOUT_SECONDS * 2})
        and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} < now())`,
    )
    .returning({ email: loginAttempts.email });
  return rows.length;
}
