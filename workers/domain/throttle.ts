import { and, eq, sql } from "drizzle-orm";
import { loginAttempts } from "../../schema/users";
import type { Database } from "../lib/db";
import { AppError } from "../lib/errors";

/** Attempts allowed per (email, IP) before 15 minutes of 429s. */
export const MAX_LOGIN_FAILURES = 5;
/** Attempts allowed per email from all addresses together before 15 minutes of 429s. */
export const MAX_ACCOUNT_FAILURES = 10;
export const LOCKOUT_SECONDS = 15 * 60;

/** The row counting an account's attempts from every address; no client address is ever `*`. */
const ANY_IP = "*";

export interface LoginAttemptCount {
  /** Seconds until this (email, IP) may try again; null while under its limit. */
  ipRetryAfter: number | null;
  /** Seconds until the account may be tried from a new address again; null while under its limit. */
  accountRetryAfter: number | null;
  /** True for the one attempt per window that first went over the account limit. */
  accountLimitReached: boolean;
}

export const throttled = (retryAfter: number) =>
  new AppError("rate_limited", "Too many failed sign-ins; try again later", undefined, retryAfter);

/**
 * Counts one sign-in attempt, before its password is checked, for (email, ip) and for the email
 * from any address, in one statement. Row locks serialise concurrent attempts, so each sees its
 * own count: of N parallel wrong passwords at most the limit are ever checked. A success takes
 * its attempt back (`forgetLoginAttempt`), so the counts are failures plus attempts in flight.
 * Reaching a limit blocks for 15 minutes from then; a block that ran out, or a window 15 minutes
 * old without one, starts over. Nothing is ever blocked for longer.
 */
export async function countLoginAttempt(db: Database, email: string, ip: string): Promise<LoginAttemptCount> {
  const own = ip === ANY_IP ? "unknown" : ip;
  const limit = sql`(case when ${loginAttempts.ip} = ${ANY_IP} then ${MAX_ACCOUNT_FAILURES}::int
    else ${MAX_LOGIN_FAILURES}::int end)`;
  const lock = sql`make_interval(secs => ${LOCKOUT_SECONDS})`;
  const stale = sql`(case when ${loginAttempts.lockedUntil} is null
    then ${loginAttempts.windowStartedAt} < now() - ${lock} else ${loginAttempts.lockedUntil} <= now() end)`;
  const rows = await db
    .insert(loginAttempts)
    .values([
      { email, ip: own, failures: 1 },
      { email, ip: ANY_IP, failures: 1 },
    ])
    .onConflictDoUpdate({
      target: [loginAttempts.email, loginAttempts.ip],
      set: {
        failures: sql`case when ${stale} then 1 else ${loginAttempts.failures} + 1 end`,
        windowStartedAt: sql`case when ${stale} then now() else ${loginAttempts.windowStartedAt} end`,
        lockedUntil: sql`case when ${stale} then null
          when ${loginAttempts.failures} + 1 >= ${limit} then coalesce(${loginAttempts.lockedUntil}, now() + ${lock})
          else ${loginAttempts.lockedUntil} end`,
      },
    })
    .returning({
      ip: loginAttempts.ip,
      failures: loginAttempts.failures,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (
        coalesce(${loginAttempts.lockedUntil}, now() + ${lock}) - now()))))::int`,
    });
  const mine = rows.find((r) => r.ip !== ANY_IP);
  const account = rows.find((r) => r.ip === ANY_IP);
  if (!mine || !account) throw new Error("login attempt upsert returned no row");
  return {
    ipRetryAfter: mine.failures > MAX_LOGIN_FAILURES ? Number(mine.retryAfter) : null,
    accountRetryAfter: account.failures > MAX_ACCOUNT_FAILURES ? Number(account.retryAfter) : null,
    accountLimitReached: account.failures === MAX_ACCOUNT_FAILURES + 1,
  };
}

/** After a successful sign-in: clears (email, ip) and takes the attempt back from the account count. */
export async function forgetLoginAttempt(db: Database, email: string, ip: string): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip === ANY_IP ? "unknown" : ip)));
  await db
    .update(loginAttempts)
    .set({ failures: sql`greatest(${loginAttempts.failures} - 1, 0)` })
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ANY_IP)));
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
