import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";

/** A leaf of a segment rule tree (API.md, "Segment rules"); also used by workflow conditions. */
export type SegmentCondition =
  | { field: string; op: string; value?: unknown }
  | { list: string }
  | { status: string }
  | { createdWithinDays: number }
  | { event: "opened" | "clicked"; campaignId: string; withinDays?: number; never?: boolean };

/** A segment rule tree: `and` / `or` / `not` over conditions. */
export type SegmentRule =
  | { and: SegmentRule[] }
  | { or: SegmentRule[] }
  | { not: SegmentRule }
  | SegmentCondition;

/** Saved dynamic audiences, evaluated when used (preview, campaign audience freeze). */
export const segments = pgTable("segments", {
  id: id(),
  name: text("name").notNull(),
  rules: jsonb("rules").$type<SegmentRule>().notNull(),
  ...timestamps,
});
