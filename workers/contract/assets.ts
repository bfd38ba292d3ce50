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
  .openapi("Asset", {
    example: {
      id: "0193b5a1-b5c6-77d8-89ea-fb0c1d2e3f40",
      url: "https://mail.example.com/media/0193b5a1-logo.png",
      contentType: "image/png",
      size: 48213,
      name: "Newsletter",
      width: 600,
      height: 200,
      createdById: "0193b5a1-5f60-7172-8384-95a6b7c8d9ea",
      createdAt: "2026-03-02T09:30:00.000Z",
    },
  });
export type AssetView = z.infer<typeof AssetSchema>;

/** A raw-body upload can name its file in the query (a multipart part names itself). */
export const CreateAssetQuerySchema = z.object({
  name: z.string().max(200).optional().openapi({ description: "The file's name, for people" }),
});
