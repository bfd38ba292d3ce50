import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns";
import { users } from "./users";

export const IMPORT_STATUSES = ["queued", "running", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const importStatusEnum = pgEnum("import_status", IMPORT_STATUSES);

export const IMPORT_MODES = ["upsert", "skip"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const importModeEnum = pgEnum("import_mode", IMPORT_MODES);

/** A row the import could not take, reported back to the user (the list is capped). */
export type ImportRowError = { row: number; message: string };

const count = (name: string) => integer(name).notNull().default(0);

/**
 * CSV imports of subscribers: a job with progress. The upload is split at row boundaries into
 * `import_chunks`; the imports consumer applies one chunk per transaction and marks it done in
 * that same transaction, so a crash or a redelivered message resumes without duplicating rows.
 */
export const imports = pgTable("imports", {
  id: id(),
  status: importStatusEnum("status").notNull().default("queued"),
  /** Lists every imported subscriber is added to. */
  listIds: uuid("list_ids").array().notNull().default(sql`'{}'::uuid[]`),
  /** `upsert` updates existing subscribers; `skip` leaves them untouched. */
  mode: importModeEnum("mode").notNull().default("upsert"),
  /** CSV column -> `email`, `name` or a field key. */
  mapping: jsonb("mapping").$type<Record<string, string>>().notNull().default({}),
  /** The uploaded file's name, for people. */
  filename: text("filename"),
  /** Double opt-in lists: send confirmation mail to imported members (off by default). */
  sendConfirmations: boolean("send_confirmations").notNull().default(false),
  /** Members this import adds start the lists' `list_joined` workflows (off by default). */
  triggerWorkflows: boolean("trigger_workflows").notNull().default(false),
  sizeBytes: bigint("size_bytes", { mode: "number" }),
  /** The CSV header row as read, for the dashboard's mapping step and error reports. */
  columns: jsonb("columns").$type<string[]>().notNull().default([]),
  /** The detected delimiter: `,`, `;` or a tab. */
  delimiter: text("delimiter"),
  /** Chunks stored for this import; the job is done when every chunk is done. */
  chunks: count("chunks"),
  /** Data rows in the file, once known. */
  total: count("total"),
  processed: count("processed"),
  inserted: count("inserted"),
  updated: count("updated"),
  skipped: count("skipped"),
  failed: count("failed"),
  /** Rows recorded as suppressions instead of members (unsubscribed, cleaned, bounced in the source). */
  suppressed: count("suppressed"),
  /** The export format recognised from the header (`mailchimp`, `listmonk`, `substack`, `kit`...), if any. */
  preset: text("preset"),
  errors: jsonb("errors").$type<ImportRowError[]>().notNull().default([]),
  /** Why the whole job failed, when `status` is `failed`. */
  error: text("error"),
  createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
  finishedAt: at("finished_at"),
});

/** A slice of an import's CSV (whole rows only), applied once in one transaction. */
export const importChunks = pgTable(
  "import_chunks",
  {
    importId: uuid("import_id")
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** File row number (1-based, the header is row 1) of the chunk's first data row. */
    firstRow: integer("first_row").notNull(),
    rows: integer("rows").notNull(),
    /** The raw CSV text of these rows; cleared once the chunk is applied. */
    body: text("body"),
    doneAt: at("done_at"),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);
