import { z } from "@hono/zod-openapi";

/** An image in the library, as the upload answers it and the library lists it. */
export const AssetSchema = z
  .object({
    id: z.string(),
    /** Absolute URL on this deployment's origin (`/media/<id>.<ext>`), cached forever. */
    url: z.string(),
    contentType: z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]),
    /** Bytes. */
    size: z.number().int(),
    /** The uploaded file's name, when it had one. */
    name: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    createdById: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Asset");
export type AssetView = z.infer<typeof AssetSchema>;

/** A raw-body upload can name its file in the query (a multipart part names itself). */
export const CreateAssetQuerySchema = z.object({
  name: z.string().max(200).optional().openapi({ description: "The file's name, for people" }),
});
