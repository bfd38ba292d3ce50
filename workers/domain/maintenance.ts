import type { Database } from "../lib/db";
import { purgeRateLimits } from "./rate-limit";
import { purgeExpiredRefreshTokens } from "./sessions";
import { purgeLoginAttempts } from "./throttle";
import { purgeOldEvents } from "./tracking/retention";

/** The cron's housekeeping: expired refresh tokens, login and rate-limit windows, old raw events. */
export async function purgeExpired(
  db: Database,
): Promise<{ tokens: number; logins: number; events: number }> {
  const tokens = await purgeExpiredRefreshTokens(db);
  const logins = await purgeLoginAttempts(db);
  await purgeRateLimits(db);
  const events = await purgeOldEvents(db);
  return { tokens, logins, events };
}
