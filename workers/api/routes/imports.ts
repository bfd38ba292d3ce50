import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import {
  CreateImportQuerySchema,
  ImportCreatedSchema,
  ImportSchema,
  ImportSummarySchema,
} from "../../contract/imports";
import {
  createImport,
  getImport,
  type ImportRow,
  importErrorsCsv,
  listImports,
  resumeImport,
} from "../../domain/audience/imports/imports";
import { parseMappingParam } from "../../domain/audience/imports/mapping";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonResponse } from "../../http/route";
import { AppError } from "../../lib/errors";
import { multipartFile } from "../../lib/multipart";
import { toJson } from "../../lib/serialize";

/** Uploads up to Cloudflare's request body limit (Free and Pro plans). */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** The one route exempt from the JSON-only and 1 MB body rules (it checks its own, after auth). */
export const isImportUpload = (method: string, path: string) =>
  method === "POST" && (path === "/api/v1/imports" || path === "/api/v1/imports/");

const CSV_TYPES =
  /^(text\/csv|application\/csv|text\/plain|text\/tab-separated-values|application\/vnd\.ms-excel)\b/i;

export const importsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Imports"];

const view = (row: ImportRow) => ({ ...toJson(row), errors: row.errors });
const uuid = z.string().uuid();

function listIdsOf(raw: string | string[] | undefined): string[] {
  const ids = [raw ?? []]
    .flat()
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const bad = ids.filter((id) => !uuid.safeParse(id).success);
  if (bad.length > 0) {
    throw new AppError("validation_failed", `listIds must be list ids (uuid): ${bad.join(", ")}`, [
      { path: ["listIds"], message: `not a uuid: ${bad.join(", ")}` },
    ]);
  }
  return [...new Set(ids)];
}

importsApi.openapi(
  createRoute({
    method: "post",
    path: "/imports",
    operationId: "createImport",
    tags,
    summary: "Import subscribers from a CSV file (streamed, applied by the imports queue)",
    description:
      "Body: the CSV as `text/csv`, or `multipart/form-data` with a `file` part; up to 100 MB. The delimiter " +
      "(`,` `;` or tab) is detected from the header row. Rows are validated and applied in chunks; poll " +
      "`GET /imports/{id}` for progress. Row numbers count records: the header is row 1.",
    ...authed("editor"),
    request: {
      query: CreateImportQuerySchema,
      body: {
        required: true,
        content: {
          "text/csv": {
            schema: { type: "string", example: "email,name,company\nada@example.com,Ada Lovelace,Acme\n" },
          },
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { file: { type: "string", format: "binary" } },
              required: ["file"],
            },
          },
        },
      },
    },
    responses: {
      202: jsonResponse(ImportCreatedSchema, "Accepted: the file is stored and queued"),
      ...errors(400, 401, 403, 413, 415, 422),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const type = c.req.header("content-type") ?? "";
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_IMPORT_BYTES) {
      throw new AppError("payload_too_large", `The file is larger than ${MAX_IMPORT_BYTES} bytes`);
    }
    const raw = c.req.raw.body;
    if (!raw) throw new AppError("bad_request", "Send the CSV file as the request body");
    let body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> = raw;
    let filename = q.filename ?? null;
    const boundary = /^multipart\/form-data\b.*;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      body = multipartFile(raw, boundary, (name) => {
        filename ??= name;
      });
    } else if (!CSV_TYPES.test(type)) {
      throw new AppError(
        "unsupported_media_type",
        "Send the file as text/csv, or as multipart/form-data with a `file` part",
      );
    }
    const row = await createImport(c.var.ctx, {
      body,
      filename: () => filename,
      listIds: listIdsOf(q.listIds),
      mode: q.mode,
      mapping: parseMappingParam(q.mapping),
      sendConfirmations: q.sendConfirmations === "true",
      triggerWorkflows: q.triggerWorkflows === "true",
      maxBytes: MAX_IMPORT_BYTES,
    });
    return c.json({ id: row.id, import: view(row) }, 202);
  },
);

importsApi.openapi(
  createRoute({
    method: "get",
    path: "/imports",
    operationId: "listImports",
    tags,
    summary: "List imports, newest first",
    ...authed("analyst"),
    request: { query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(ImportSummarySchema, "ImportPage"), "Imports"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listImports(c.var.db, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map(toJson) }, 200);
  },
);

importsApi.openapi(
  createRoute({
    method: "get",
    path: "/imports/{id}",
    operationId: "getImport",
    tags,
    summary: "An import's status, progress, counts and first failed rows",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(ImportSchema, "The import"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(view(await getImport(c.var.db, c.req.valid("param").id)), 200),
);

importsApi.openapi(
  createRoute({
    method: "get",
    path: "/imports/{id}/errors.csv",
    operationId: "getImportErrors",
    tags,
    summary: "The failed rows as CSV: row, email, reason (first 10,000; `failed` has the exact count)",
    ...authed("analyst"),
    request: { params: IdParamSchema },
    responses: {
      200: {
        description: "CSV",
        content: {
          "text/csv": {
            schema: { type: "string", example: "row,email,reason\n7,ada@,not an email address\n" },
          },
        },
      },
      ...errors(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const id = c.req.valid("param").id;
    const csv = await importErrorsCsv(c.var.db, id);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-errors.csv"`,
    });
  },
);

importsApi.openapi(
  createRoute({
    method: "post",
    path: "/imports/{id}/resume",
    operationId: "resumeImport",
    tags,
    summary: "Re-queue the chunks of an interrupted or failed import that are not applied yet",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(ImportSchema, "The import"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    return c.json(view(await resumeImport(c.var.ctx, c.req.valid("param").id)), 200);
  },
);
