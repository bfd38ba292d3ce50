import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { users } from "./users";

export const TEMPLATE_KINDS = ["campaign", "transactional"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const templateKindEnum = pgEnum("template_kind", TEMPLATE_KINDS);

/** How a version was written: in the HTML code editor, or with the block builder (`blocks` holds the document). */
export const TEMPLATE_EDITORS = ["html", "blocks"] as const;
export type TemplateEditor = (typeof TEMPLATE_EDITORS)[number];
export const templateEditorEnum = pgEnum("template_editor", TEMPLATE_EDITORS);

/**
 * Message templates. Content lives in immutable versions; deleting only sets `deletedAt`, because
 * sent campaigns and sends keep pointing at the version they used.
 */
export const templates = pgTable(
  "templates",
  {
    id: id(),
    name: text("name").notNull(),
    kind: templateKindEnum("kind").notNull().default("campaign"),
    /** Transactional sends from it track opens and clicks unless the send says `track: false`. */
    track: boolean("track").notNull().default(true),
    /** The version that new campaigns and transactional sends use. */
    currentVersion: integer("current_version").notNull().default(1),
    ...timestamps,
    deletedAt: at("deleted_at"),
  },
  (t) => [index("templates_live_idx").on(t.kind, t.id).where(sql`${t.deletedAt} is null`)],
);

/** One immutable snapshot of a template's content; editing a template inserts the next version. */
export const templateVersions = pgTable(
  "template_versions",
  {
    id: id(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => templates.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Liquid source, like `html` and `text`. */
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    /** Plain-text part; null means it is derived from `html` at render time. */
    text: text("text"),
    editor: templateEditorEnum("editor").notNull().default("html"),
    /** The block document (`contract/blocks.ts`) `html` was compiled from; null for HTML versions. */
    blocks: jsonb("blocks").$type<unknown>(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    // A constraint, not just an index, so that (template_id, version) pairs can be foreign keys.
    unique("template_versions_template_version_uq").on(t.templateId, t.version),
    check("template_versions_version_positive", sql`${t.version} > 0`),
    check("template_versions_blocks_editor", sql`(${t.editor} = 'blocks') = (${t.blocks} is not null)`),
  ],
);
