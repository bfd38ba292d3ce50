import { count, desc, eq, lt } from "drizzle-orm";
import { assets } from "../../../schema/assets";
import { newId } from "../../../schema/columns";
import type { Database } from "../../lib/db";
import { AppError, NotFoundError } from "../../lib/errors";
import { IMAGE_EXTENSIONS, looksLikeSvg, sniffImage } from "../../lib/image";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, encodeCursor, type Page } from "../pagination";

export type AssetRow = typeof assets.$inferSelect;

/** Where the bytes go: the Worker's R2 binding (MEDIA), or anything shaped like it. */
export type MediaStore = Pick<R2Bucket, "put" | "get" | "delete">;

/** Images above this are refused (413): mail clients fetch every image on every open. */
export const MAX_ASSET_BYTES = 5 * 1024 * 1024;

const ACCEPTED = "PNG, JPEG, GIF or WebP";
/** Object keys, and the served file names they map to (`/media/<id>.<ext>`). */
const KEY_PREFIX = "images/";
const MEDIA_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(png|jpg|gif|webp)$/;

/** The path an asset is served at on this deployment's origin. */
export const mediaPath = (row: Pick<AssetRow, "objectKey">) =>
  `/media/${row.objectKey.slice(KEY_PREFIX.length)}`;

export const tooLarge = () =>
  new AppError(
    "payload_too_large",
    `The image is larger than ${MAX_ASSET_BYTES / 1024 / 1024} MB; make it smaller and upload it again`,
  );

/** 415 with the reason in plain words. */
function refuseType(bytes: Uint8Array): AppError {
  if (bytes.length === 0)
    return new AppError("bad_request", "The upload is empty: send the image as the body");
  const why = looksLikeSvg(bytes)
    ? "SVG images are not accepted (they can carry scripts, and many mail clients do not show them)"
    : "This file is not an image we accept";
  return new AppError("unsupported_media_type", `${why}: upload a ${ACCEPTED} image`);
}

/** A display name: the last path part, without control characters, at most 200 characters. */
function cleanName(name: string | null | undefined): string | null {
  const last = (name ?? "").split(/[\\/]/).pop() ?? "";
  const base = [...last]
    .filter((ch) => ch >= " " && ch !== "\u007f")
    .join("")
    .trim();
  return base === "" ? null : base.slice(0, 200);
}

/**
 * Stores an uploaded image: its type read from its bytes (415 for anything but PNG, JPEG, GIF and
 * WebP), its size checked (413), the bytes put in R2 under a new random key, then the row and its
 * audit entry in one transaction. A failed transaction removes the object again.
 */
export async function uploadAsset(
  { db, actor }: DomainContext,
  store: MediaStore,
  input: { bytes: Uint8Array; name?: string | null },
): Promise<AssetRow> {
  const { bytes } = input;
  if (bytes.length > MAX_ASSET_BYTES) throw tooLarge();
  const image = sniffImage(bytes);
  if (!image) throw refuseType(bytes);
  const id = newId();
  const objectKey = `${KEY_PREFIX}${id}.${image.ext}`;
  const name = cleanName(input.name);
  await store.put(objectKey, bytes, {
    httpMetadata: { contentType: image.contentType, cacheControl: "public, max-age=31536000, immutable" },
    customMetadata: { assetId: id },
  });
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(assets)
        .values({
          id,
          objectKey,
          contentType: image.contentType,
          size: bytes.length,
          width: image.width,
          height: image.height,
          name,
          createdById: actor.type === "user" ? actor.id : null,
        })
        .returning();
      if (!row) throw new Error("insert returned nothing");
      await emitAudit(tx, actor, { action: "asset.upload", entity: "asset", entityId: id, after: row });
      return row;
    });
  } catch (err) {
    await store.delete(objectKey).catch(() => undefined);
    throw err;
  }
}

/** The image library, newest first. */
export async function listAssets(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<AssetRow>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(assets)
    .where(after ? lt(assets.id, after.id) : undefined)
    .orderBy(desc(assets.id))
    .limit(q.limit + 1);
  const [total] = await db.select({ n: count() }).from(assets);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

/**
 * Deletes an image: the row and its audit entry, and the R2 object inside that transaction, so a
 * failed removal keeps the row. Mail already sent that shows the image shows a broken one after.
 */
export async function deleteAsset(
  { db, actor }: DomainContext,
  store: MediaStore,
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(assets).where(eq(assets.id, id)).returning();
    if (!row) throw NotFoundError("Image");
    await emitAudit(tx, actor, { action: "asset.delete", entity: "asset", entityId: id, before: row });
    await store.delete(row.objectKey);
  });
}

/**
 * The stored object behind a served file name (`<id>.<ext>`); null for a name that is not one of
 * ours or an object that is gone. No database: the key is the name. With `conditions` (the
 * request's If-None-Match...) an unchanged object comes back without a body (R2's `onlyIf`).
 */
export async function openMedia(
  store: MediaStore,
  file: string,
  conditions?: Headers,
): Promise<R2ObjectBody | R2Object | null> {
  const m = MEDIA_FILE.exec(file);
  if (!m?.[2] || !IMAGE_EXTENSIONS[m[2]]) return null;
  return store.get(`${KEY_PREFIX}${file}`, conditions ? { onlyIf: conditions } : undefined);
}
