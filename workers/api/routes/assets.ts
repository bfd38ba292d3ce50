import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { AssetSchema, type AssetView, CreateAssetQuerySchema } from "../../contract/assets";
import { IdParamSchema, PageQuerySchema, pageOf } from "../../contract/common";
import { publicBaseUrl } from "../../domain/audience/subscriptions/links";
import {
  type AssetRow,
  deleteAsset,
  listAssets,
  MAX_ASSET_BYTES,
  mediaPath,
  tooLarge,
  uploadAsset,
} from "../../domain/content/assets";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonResponse } from "../../http/route";
import { AppError } from "../../lib/errors";
import { multipartFile } from "../../lib/multipart";

export const assetsApi = new OpenAPIHono<HonoEnv>();
const tags = ["Images"];

/** The upload is exempt from the JSON-only and 1 MB body rules: it checks its own, after auth. */
export const isAssetUpload = (method: string, path: string) =>
  method === "POST" && (path === "/api/v1/assets" || path === "/api/v1/assets/");

const view = (row: AssetRow, base: string): AssetView => ({
  id: row.id,
  url: `${base}${mediaPath(row)}`,
  // Written by uploadAsset from the sniffed type, so always one of the four.
  contentType: row.contentType as AssetView["contentType"],
  size: row.size,
  name: row.name,
  width: row.width,
  height: row.height,
  createdById: row.createdById,
  createdAt: row.createdAt.toISOString(),
});

/** Reads a body up to MAX_ASSET_BYTES; one byte more is a 413, whatever Content-Length said. */
async function readCapped(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > MAX_ASSET_BYTES) throw tooLarge();
    parts.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The image's bytes and name, from a raw body or a multipart `file` part. */
async function readUpload(req: Request, queryName: string | undefined) {
  const length = Number(req.headers.get("content-length") ?? "0");
  // A multipart body carries a few hundred bytes of headers besides the file.
  if (length > MAX_ASSET_BYTES + 64 * 1024) throw tooLarge();
  if (!req.body) throw new AppError("bad_request", "The upload is empty: send the image as the body");
  const type = req.headers.get("content-type") ?? "";
  const boundary = /^multipart\/form-data\b.*;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return { bytes: await readCapped(req.body), name: queryName ?? null };
  let name: string | null = queryName ?? null;
  const bytes = await readCapped(
    multipartFile(req.body, boundary, (filename) => {
      name = filename;
    }),
  );
  return { bytes, name };
}

assetsApi.openapi(
  createRoute({
    method: "post",
    path: "/assets",
    tags,
    operationId: "uploadAsset",
    summary: "Upload an image (PNG, JPEG, GIF or WebP, up to 5 MB) to the image library",
    description:
      "Body: the image itself with its `content-type`, or `multipart/form-data` with a `file` part. The type " +
      "is read from the file's first bytes: SVG and anything else is a 415. Served from `url` with long cache headers.",
    ...authed("editor"),
    request: {
      query: CreateAssetQuerySchema,
      body: {
        required: true,
        content: {
          "image/*": { schema: { type: "string", format: "binary" } },
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
      201: jsonResponse(AssetSchema, "Stored"),
      ...errors(400, 401, 403, 413, 415),
    },
  }),
  async (c) => {
    const upload = await readUpload(c.req.raw, c.req.valid("query").name);
    const row = await uploadAsset(c.var.ctx, c.env.MEDIA, upload);
    return c.json(view(row, publicBaseUrl(c.env, new URL(c.req.url).origin)), 201);
  },
);

assetsApi.openapi(
  createRoute({
    method: "get",
    path: "/assets",
    tags,
    operationId: "listAssets",
    summary: "The image library, newest first",
    ...authed("analyst"),
    request: { query: PageQuerySchema },
    responses: {
      200: jsonResponse(pageOf(AssetSchema, "AssetPage"), "Images"),
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const page = await listAssets(c.var.db, c.req.valid("query"));
    const base = publicBaseUrl(c.env, new URL(c.req.url).origin);
    return c.json({ ...page, data: page.data.map((row) => view(row, base)) }, 200);
  },
);

assetsApi.openapi(
  createRoute({
    method: "delete",
    path: "/assets/{id}",
    tags,
    operationId: "deleteAsset",
    summary: "Delete an image (mail already sent that shows it will show a broken image)",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    await deleteAsset(c.var.ctx, c.env.MEDIA, c.req.valid("param").id);
    return c.body(null, 204);
  },
);
