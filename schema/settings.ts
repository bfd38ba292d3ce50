import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { at, jsonValue, timestamps } from "./columns";

/**
 * Organisation settings as key/value pairs, e.g. `postalAddress`, `defaultSender`, `retention`.
 * Values are validated by the API per key; a missing key means the built-in default.
 */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonValue("value").notNull(),
  updatedAt: timestamps.updatedAt,
});

/**
 * Fixed-window counters for rate limits on public endpoints (e.g. `subscribe:<ip>`), updated by
 * one atomic upsert per hit, and one-time keys such as webhook tokens (`webhook:mailgun:…`,
 * `claimOnce`); the cron deletes windows that have ended.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  hits: integer("hits").notNull().default(0),
  windowStartedAt: at("window_started_at").notNull().defaultNow(),
});
