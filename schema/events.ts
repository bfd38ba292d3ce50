import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { campaigns } from "./campaigns";
import { at, timestamps } from "./columns";

export const EVENT_KINDS = [
  "open",
  "click",
  "unsubscribe",
  "bounce",
  "complaint",
  "delivered",
  "sent",
  "failed",
  "custom",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const eventKindEnum = pgEnum("event_kind", EVENT_KINDS);

/**
 * Everything that happened to a message or a subscriber, written in batches by the events
 * consumer. No foreign keys on purpose: the queue delivers at least once and possibly after a
 * campaign or subscriber is gone, and one missing parent must not fail a whole batch. Erasing a
 * subscriber deletes their events explicitly.
 */
export const events = pgTable(
  "events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: eventKindEnum("kind").notNull(),
    /** Name of a `custom` event (POST /api/v1/events); null for the others. */
    name: text("name"),
    sendId: bigint("send_id", { mode: "number" }),
    campaignId: uuid("campaign_id"),
    variantId: uuid("variant_id"),
    subscriberId: uuid("subscriber_id"),
    linkId: bigint("link_id", { mode: "number" }),
    url: text("url"),
    /** A privacy-proxy prefetch (open) or a link scanner (click): recorded, kept out of human metrics. */
    machine: boolean("machine").notNull().default(false),
    /** The detected client or proxy, e.g. `apple-mpp`, `gmail-proxy`, `outlook`. */
    client: text("client"),
    userAgent: text("user_agent"),
    ip: text("ip"),
    occurredAt: at("occurred_at").notNull(),
    /** Made by the producer from the message's identity; `ON CONFLICT DO NOTHING` makes redelivery harmless. */
    dedupeKey: text("dedupe_key").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("events_dedupe_key_uq").on(t.dedupeKey),
    index("events_campaign_occurred_idx").on(t.campaignId, t.occurredAt),
    index("events_subscriber_occurred_idx").on(t.subscriberId, t.occurredAt),
    index("events_send_idx").on(t.sendId).where(sql`${t.sendId} is not null`),
    /** Append-only and time-ordered: a tiny BRIN index serves time ranges and retention purges. */
    index("events_occurred_brin").using("brin", t.occurredAt),
  ],
);

/** Tracked links of a campaign; click tokens carry the link id rather than the URL. */
export const links = pgTable(
  "links",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("links_campaign_url_uq").on(t.campaignId, t.url)],
);

const counter = (name: string) => integer(name).notNull().default(0);

/** Per-campaign, per-variant, per-hour counters kept by the events consumer; the dashboard reads these. */
export const campaignRollupsHourly = pgTable(
  "campaign_rollups_hourly",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** Null for campaigns without an A/B test. */
    variantId: uuid("variant_id"),
    /** `variant_id` as text, '' when null, so that it can be part of the key and an ON CONFLICT target. */
    variantKey: text("variant_key").notNull().generatedAlwaysAs(sql`coalesce(variant_id::text, '')`),
    /** Start of the hour (`date_trunc('hour', occurred_at)`). */
    hour: at("hour").notNull(),
    sent: counter("sent"),
    delivered: counter("delivered"),
    failed: counter("failed"),
    opens: counter("opens"),
    uniqueOpens: counter("unique_opens"),
    machineOpens: counter("machine_opens"),
    clicks: counter("clicks"),
    uniqueClicks: counter("unique_clicks"),
    bounces: counter("bounces"),
    /** Bounces the relay gave at send time (the message was never accepted, so not in `sent`). */
    refused: counter("refused"),
    complaints: counter("complaints"),
    unsubscribes: counter("unsubscribes"),
  },
  (t) => [
    primaryKey({ name: "campaign_rollups_hourly_pk", columns: [t.campaignId, t.variantKey, t.hour] }),
    index("campaign_rollups_hourly_hour_idx").on(t.hour),
  ],
);

/** Clicks per link of a campaign, kept by the events consumer. */
export const linkRollups = pgTable(
  "link_rollups",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    clicks: counter("clicks"),
    uniqueClicks: counter("unique_clicks"),
  },
  (t) => [primaryKey({ name: "link_rollups_pk", columns: [t.campaignId, t.url] })],
);

/**
 * Per campaign and recipient domain (gmail.com, outlook.com…): kept by `ingestEvents` from the
 * send each event belongs to, so the report's domain breakdown never scans the ledger.
 */
export const campaignDomainRollups = pgTable(
  "campaign_domain_rollups",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    domain: text("domain").notNull(),
    sent: counter("sent"),
    bounces: counter("bounces"),
    refused: counter("refused"),
    complaints: counter("complaints"),
    unsubscribes: counter("unsubscribes"),
    uniqueOpens: counter("unique_opens"),
    uniqueClicks: counter("unique_clicks"),
  },
  (t) => [primaryKey({ name: "campaign_domain_rollups_pk", columns: [t.campaignId, t.domain] })],
);

/** Bounces per campaign by reason and hard/soft, kept by `ingestEvents` from bounce events. */
export const campaignBounceRollups = pgTable(
  "campaign_bounce_rollups",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    hard: boolean("hard").notNull(),
    bounces: counter("bounces"),
  },
  (t) => [primaryKey({ name: "campaign_bounce_rollups_pk", columns: [t.campaignId, t.reason, t.hard] })],
);
