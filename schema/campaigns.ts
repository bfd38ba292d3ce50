import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { segments } from "./segments";
import { relays } from "./sending";
import { templates, templateVersions } from "./templates";

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "testing",
  "sending",
  "paused",
  "sent",
  "cancelled",
  "failed",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const campaignStatusEnum = pgEnum("campaign_status", CAMPAIGN_STATUSES);

/** The `abTest` settings of a campaign, as in API.md; the variants themselves are rows. */
export type AbTest = {
  variants: { name: string; subject?: string; templateId?: string }[];
  testPercent: number;
  metric: "opens" | "clicks";
  waitMinutes: number;
};

/**
 * Bulk sends to lists or a segment: draft -> scheduled -> (testing) -> sending -> (paused) ->
 * sent | cancelled | failed (nothing accepted: every attempted message failed or bounced).
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    name: text("name").notNull(),
    status: campaignStatusEnum("status").notNull().default("draft"),
    templateId: uuid("template_id")
      .notNull()
      .references(() => templates.id),
    /** Set when sending starts, so later template edits never change a campaign in flight. */
    templateVersion: integer("template_version"),
    /** Audience lists (not foreign keys: arrays cannot be); the audience is frozen into `sends`. */
    listIds: uuid("list_ids").array().notNull().default(sql`'{}'::uuid[]`),
    segmentId: uuid("segment_id").references(() => segments.id, { onDelete: "set null" }),
    fromName: text("from_name").notNull(),
    fromEmail: text("from_email").notNull(),
    replyTo: text("reply_to"),
    /** Null means the default relay. */
    relayId: uuid("relay_id").references(() => relays.id, { onDelete: "set null" }),
    abTest: jsonb("ab_test").$type<AbTest>(),
    sendAt: at("send_at"),
    /** IANA zone the schedule was chosen in, for display; `sendAt` is the instant. */
    timezone: text("timezone"),
    /**
     * Deliver at `sendAt`'s wall-clock time (in `timezone`, else the organisation's) in each
     * recipient's own zone: the audience is frozen when the earliest zone (UTC+14) gets there and
     * each zone's chunks are released by the cron at its own time.
     */
    localTime: boolean("local_time").notNull().default(false),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    pausedReason: text("paused_reason"),
    /**
     * Set when the campaign paused itself because its relay kept failing: until then the cron
     * checks the relay every minute and resumes the campaign once it answers again.
     */
    autoResumeUntil: at("auto_resume_until"),
    /** Why a `failed` campaign failed: the most frequent error of its sends. */
    failureReason: text("failure_reason"),
    /** Recipients frozen when sending started (after suppressions and unsubscribes). */
    audienceSize: integer("audience_size"),
    /** When the audience was frozen into the send ledger; null until then. */
    frozenAt: at("frozen_at"),
    /** A/B tests: when the test phase ends and the winner is picked. */
    testEndsAt: at("test_ends_at"),
    /** Why the winner won (or why the first variant was taken), for the report. */
    winnerReason: text("winner_reason"),
    /**
     * Running counters the send consumer keeps per chunk, for progress and the automatic pause
     * (bounce rate, relay errors in a row) without counting the ledger.
     */
    sentCount: integer("sent_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    bounceCount: integer("bounce_count").notNull().default(0),
    consecutiveErrors: integer("consecutive_errors").notNull().default(0),
    /**
     * Set when a campaign that has started sending is deleted: it leaves the lists but keeps its
     * ledger, events and rollups (late bounces still match) and can no longer change. A campaign
     * that never started is deleted for real.
     */
    archivedAt: at("archived_at"),
    ...timestamps,
  },
  (t) => [
    foreignKey({
      name: "campaigns_template_version_fk",
      columns: [t.templateId, t.templateVersion],
      foreignColumns: [templateVersions.templateId, templateVersions.version],
    }),
    /** The cron ticker's question: which scheduled campaigns are due? */
    index("campaigns_due_idx").on(t.sendAt).where(sql`${t.status} = 'scheduled'`),
    index("campaigns_status_idx").on(t.status, t.id),
  ],
);

/** A/B test variants. The winner's content goes to the rest of the audience after the test. */
export const campaignVariants = pgTable(
  "campaign_variants",
  {
    id: id(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Overrides the campaign's subject; null keeps the template's. */
    subject: text("subject"),
    /** Overrides the campaign's template; null keeps it. */
    templateId: uuid("template_id").references(() => templates.id),
    /** Pinned when sending starts, like `campaigns.templateVersion`. */
    templateVersion: integer("template_version"),
    isWinner: boolean("is_winner").notNull().default(false),
    /** Display and assignment order, from 0. */
    position: integer("position").notNull(),
    ...timestamps,
  },
  (t) => [
    foreignKey({
      name: "campaign_variants_template_version_fk",
      columns: [t.templateId, t.templateVersion],
      foreignColumns: [templateVersions.templateId, templateVersions.version],
    }),
    uniqueIndex("campaign_variants_position_uq").on(t.campaignId, t.position),
    uniqueIndex("campaign_variants_one_winner_uq").on(t.campaignId).where(sql`${t.isWinner}`),
    check("campaign_variants_position_nonnegative", sql`${t.position} >= 0`),
  ],
);
