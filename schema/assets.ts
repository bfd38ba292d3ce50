import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { users } from "./users";

/**
 * Uploaded images (the image library). The bytes live in R2 under `objectKey`; this row is what
 * the library lists and what the upload was audited as. Rows are immutable: a new image is a new
 * row and a new key, so the served URL can be cached forever.
 */
export const assets = pgTable(
  "assets",
  {
    id: id(),
    /** The R2 object key, `images/<id>.<ext>`. */
    objectKey: text("object_key").notNull(),
    /** Read from the file's first bytes, never taken from the client's word. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** From the image header when it is cheap to read; null otherwise. */
    width: integer("width"),
    height: integer("height"),
    /** The uploaded file's name, for people. */
    name: text("name"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("assets_object_key_uq").on(t.objectKey),
    check("assets_size_positive", sql`${t.size} > 0`),
  ],
);
