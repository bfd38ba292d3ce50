import { z } from "@hono/zod-openapi";
import { IMPORT_MODES, IMPORT_STATUSES } from "../../schema/imports";
import { IMPORT_PRESETS } from "./import-presets";

export const ImportRowErrorSchema = z
  .object({
    /** File row number: the header is row 1, a record with quoted line breaks counts once. */
    row: z.number().int(),
    message: z.string(),
    /** The email cell as written in the file (may be the invalid value). */
    email: z.string().optional(),
  })
  .openapi("ImportRowError");

export const ImportSummarySchema = z
  .object({
    id: z.string(),
    status: z.enum(IMPORT_STATUSES),
    mode: z.enum(IMPORT_MODES),
    listIds: z.array(z.string()),
    mapping: z.record(z.string(), z.string()),
    filename: z.string().nullable(),
    sendConfirmations: z.boolean(),
    sizeBytes: z.number().int().nullable(),
    columns: z.array(z.string()),
    delimiter: z.string().nullable(),
    chunks: z.number().int(),
    total: z.number().int(),
    processed: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    /** Exact count of rows that were not imported; `errors` lists the first of them. */
    failed: z.number().int(),
    /** Rows that were unsubscribed, cleaned or bounced in the source: suppressed, not added to lists. */
    suppressed: z.number().int(),
    /** The other tool's export recognised from the header (its mapping is the default), or null. */
    preset: z
      .string()
      .nullable()
      .openapi({
        description: `One of ${IMPORT_PRESETS.join(", ")}; null for any other file`,
        example: "mailchimp",
      }),
    error: z.string().nullable(),
    createdById: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("ImportSummary", {
    example: {
      id: "0193b5a1-8293-74a5-96b7-c8d9eafb0c1d",
      status: "done",
      mode: "upsert",
      listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
      mapping: { "E-mail": "email", Name: "name" },
      filename: "subscribers.csv",
      sendConfirmations: false,
      sizeBytes: 81920,
      columns: ["E-mail", "Name"],
      delimiter: ",",
      chunks: 2,
      total: 2500,
      processed: 2500,
      inserted: 2400,
      updated: 59,
      skipped: 0,
      failed: 1,
      suppressed: 3,
      preset: null,
      error: null,
      createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
      createdAt: "2026-03-02T09:30:00.000Z",
      updatedAt: "2026-03-02T09:30:00.000Z",
      finishedAt: "2026-03-02T09:30:00.000Z",
    },
  });

export const ImportSchema = ImportSummarySchema.extend({
  /** The first failed rows by row number (at most 100 here; errors.csv has up to 10,000). */
  errors: z.array(ImportRowErrorSchema),
}).openapi("Import", {
  example: {
    id: "0193b5a1-8293-74a5-96b7-c8d9eafb0c1d",
    status: "done",
    mode: "upsert",
    listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
    mapping: { "E-mail": "email", Name: "name" },
    filename: "subscribers.csv",
    sendConfirmations: false,
    sizeBytes: 81920,
    columns: ["E-mail", "Name"],
    delimiter: ",",
    chunks: 2,
    total: 2500,
    processed: 2500,
    inserted: 2400,
    updated: 59,
    skipped: 0,
    failed: 1,
    suppressed: 3,
    preset: null,
    error: null,
    createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
    createdAt: "2026-03-02T09:30:00.000Z",
    updatedAt: "2026-03-02T09:30:00.000Z",
    finishedAt: "2026-03-02T09:30:00.000Z",
    errors: [{ row: 7, message: "not an email address" }],
  },
});
export type ImportView = z.infer<typeof ImportSchema>;
export type ImportSummaryView = z.infer<typeof ImportSummarySchema>;

export const ImportCreatedSchema = z
  .object({ id: z.string(), import: ImportSchema })
  .openapi("ImportCreated", {
    example: {
      id: "0193b5a1-8293-74a5-96b7-c8d9eafb0c1d",
      import: {
        id: "0193b5a1-8293-74a5-96b7-c8d9eafb0c1d",
        status: "queued",
        mode: "upsert",
        listIds: ["0193b5a0-6f1c-7d2e-8a3b-4c5d6e7f8091"],
        mapping: { plan: "pro" },
        filename: "subscribers.csv",
        sendConfirmations: false,
        sizeBytes: 81920,
        columns: ["example"],
        delimiter: ",",
        chunks: 2,
        total: 2500,
        processed: 2500,
        inserted: 2400,
        updated: 60,
        skipped: 0,
        failed: 0,
        suppressed: 3,
        preset: null,
        error: null,
        createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
        createdAt: "2026-03-02T09:30:00.000Z",
        updatedAt: "2026-03-02T09:30:00.000Z",
        finishedAt: "2026-03-02T09:30:00.000Z",
        errors: [{ row: 2, message: "No such template", email: "ada@example.com" }],
      },
    },
  });

/** Query of `POST /imports`; list ids and mapping are checked in the domain (they need the file). */
export const CreateImportQuerySchema = z.object({
  listIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: "List ids, comma-separated or repeated", type: "string" }),
  mode: z.enum(IMPORT_MODES).default("upsert").openapi({ description: "upsert (default) or skip existing" }),
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .openapi({
      description:
        'JSON object: CSV column -> "email", "name" (several columns are joined), a field key, "status" (a standing word: ' +
        'unsubscribed, cancelled, blocklisted, cleaned, bounced, complained make a suppression) or "unsubscribed" (true/yes). ' +
        "Default: a recognised Mailchimp, listmonk, Substack or Kit export maps itself; else columns named email, name or a field key.",
    }),
  sendConfirmations: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "Send confirmation mail to new members of double opt-in lists" }),
  triggerWorkflows: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "New members start the lists' list_joined workflows (off by default)" }),
  filename: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: "Shown in the dashboard (text/csv uploads)" }),
});
