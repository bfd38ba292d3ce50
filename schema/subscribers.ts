import { sql } from "drizzle-orm";
import { check, index, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";

export const SUBSCRIBER_STATUSES = [
  "active",
  "unsubscribed",
  "bounced",
  "complained",
  "blocklisted",
] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];
export const subscriberStatusEnum = pgEnum("subscriber_status", SUBSCRIBER_STATUSES);

export const FIELD_TYPES = ["text", "number", "date", "boolean", "select"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const fieldTypeEnum = pgEnum("field_type", FIELD_TYPES);

/** People who receive mail. Erasure (GDPR) deletes the row; a hashed suppression remains. */
export const subscribers = pgTable(
  "subscribers",
  {
    id: id(),
    /** Stored as given; uniqueness and lookups go through lower(email). */
    email: text("email").notNull(),
    name: text("name"),
    status: subscriberStatusEnum("status").notNull().default("active"),
    /** Custom field values keyed by `fields.key`; types are checked by the API, not the database. */
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("subscribers_email_lower_uq").on(sql`lower(${t.email})`),
    index("subscribers_fields_gin").using("gin", t.fields.op("jsonb_path_ops")),
    /** Subscriber pages filtered by status, paged by id. */
    index("subscribers_status_id_idx").on(t.status, t.id),
    /** Prefix search (`q`) on email and name stays an index range scan at millions of rows. */
    index("subscribers_email_prefix_idx").using("btree", sql`lower(${t.email}) text_pattern_ops`),
    index("subscribers_name_prefix_idx").using("btree", sql`lower(${t.name}) text_pattern_ops`),
    /** Segment conditions on signup date, and the list sorted by it (keyset on created_at, id). */
    index("subscribers_created_at_id_idx").on(t.createdAt, t.id),
    /** The list sorted by name or by last change, either direction (0008). */
    index("subscribers_name_sort_idx").using("btree", sql`coalesce(lower(${t.name}), '')`, t.id),
    index("subscribers_updated_at_id_idx").on(t.updatedAt, t.id),
  ],
);

/** Custom field definitions: the keys subscribers' `fields` may hold, for forms, segments and Liquid. */
export const fields = pgTable(
  "fields",
  {
    id: id(),
    /** Identifier used in `subscribers.fields`, segment rules and templates (`{{ subscriber.fields.key }}`). */
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: fieldTypeEnum("type").notNull(),
    /** Allowed values of a `select` field, in display order; null for other types. */
    options: jsonb("options").$type<string[]>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("fields_key_uq").on(t.key),
    check("fields_key_format", sql`${t.key} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);
