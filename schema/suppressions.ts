import { sql } from "drizzle-orm";
import { check, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";

export const SUPPRESSION_REASONS = ["manual", "bounce", "complaint", "unsubscribe", "erased"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export const suppressionReasonEnum = pgEnum("suppression_reason", SUPPRESSION_REASONS);

/**
 * Addresses that are never sent to, whether or not they are subscribers. Keyed by a hash so that
 * an erased subscriber stays suppressed after their address itself is gone.
 */
export const suppressions = pgTable(
  "suppressions",
  {
    id: id(),
    /** Hex SHA-256 of the trimmed, lower-cased address; what every send checks against. */
    emailHash: text("email_hash").notNull(),
    /** The address in clear for people to read; null once erased (GDPR). */
    email: text("email"),
    reason: suppressionReasonEnum("reason").notNull(),
    /** Why, in words: the bounce diagnostic, the complaint feedback type, who added it. */
    detail: text("detail"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("suppressions_email_hash_uq").on(t.emailHash),
    check("suppressions_email_hash_format", sql`${t.emailHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
